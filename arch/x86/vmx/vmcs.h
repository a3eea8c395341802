/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMCS field encodings (Intel SDM Vol. 3D, Appendix B "Field Encoding in
 * VMCS"). One list gives each field its name, encoding and width, so the enum,
 * the name table used in error reports and the width check in the unit tests
 * cannot drift apart. An encoding carries its width in bits 14:13 (0: 16-bit,
 * 1: 64-bit, 2: 32-bit, 3: natural width) and its type in bits 11:10 (SDM
 * Vol. 3C 25.11.2 "VMREAD, VMWRITE, and Encodings of VMCS Fields").
 *
 * Vendor header: included by arch/x86/vmx/ only.
 */
#ifndef VMX_VMCS_H
#define VMX_VMCS_H

#include <hv/types.h>

#define VMCS_W16  16
#define VMCS_W64  64
#define VMCS_W32  32
#define VMCS_WNAT 0 /* natural width: 64 bits on Intel 64 */

/* F(name, encoding, width) */
#define VMCS_FIELD_LIST(F)                                                                         \
	/* 16-bit control, guest-state and host-state fields (App. B.1) */                         \
	F(VPID, 0x0000, VMCS_W16)                                                                  \
	F(GUEST_ES_SEL, 0x0800, VMCS_W16)                                                          \
	F(GUEST_CS_SEL, 0x0802, VMCS_W16)                                                          \
	F(GUEST_SS_SEL, 0x0804, VMCS_W16)                                                          \
	F(GUEST_DS_SEL, 0x0806, VMCS_W16)                                                          \
	F(GUEST_FS_SEL, 0x0808, VMCS_W16)                                                          \
	F(GUEST_GS_SEL, 0x080a, VMCS_W16)                                                          \
	F(GUEST_LDTR_SEL, 0x080c, VMCS_W16)                                                        \
	F(GUEST_TR_SEL, 0x080e, VMCS_W16)                                                          \
	F(HOST_ES_SEL, 0x0c00, VMCS_W16)                                                           \
	F(HOST_CS_SEL, 0x0c02, VMCS_W16)                                                           \
	F(HOST_SS_SEL, 0x0c04, VMCS_W16)                                                           \
	F(HOST_DS_SEL, 0x0c06, VMCS_W16)                                                           \
	F(HOST_FS_SEL, 0x0c08, VMCS_W16)                                                           \
	F(HOST_GS_SEL, 0x0c0a, VMCS_W16)                                                           \
	F(HOST_TR_SEL, 0x0c0c, VMCS_W16)                                                           \
	/* 64-bit fields (App. B.2) */                                                             \
	F(IO_BITMAP_A, 0x2000, VMCS_W64)                                                           \
	F(IO_BITMAP_B, 0x2002, VMCS_W64)                                                           \
	F(MSR_BITMAP, 0x2004, VMCS_W64)                                                            \
	F(EXIT_MSR_STORE_ADDR, 0x2006, VMCS_W64)                                                   \
	F(EXIT_MSR_LOAD_ADDR, 0x2008, VMCS_W64)                                                    \
	F(ENTRY_MSR_LOAD_ADDR, 0x200a, VMCS_W64)                                                   \
	F(TSC_OFFSET, 0x2010, VMCS_W64)                                                            \
	F(EPT_POINTER, 0x201a, VMCS_W64)                                                           \
	F(XSS_EXIT_BITMAP, 0x202c, VMCS_W64)                                                       \
	F(GUEST_PHYS_ADDR, 0x2400, VMCS_W64)                                                       \
	F(VMCS_LINK_POINTER, 0x2800, VMCS_W64)                                                     \
	F(GUEST_DEBUGCTL, 0x2802, VMCS_W64)                                                        \
	F(GUEST_PAT, 0x2804, VMCS_W64)                                                             \
	F(GUEST_EFER, 0x2806, VMCS_W64)                                                            \
	F(GUEST_PDPTE0, 0x280a, VMCS_W64)                                                          \
	F(GUEST_PDPTE1, 0x280c, VMCS_W64)                                                          \
	F(GUEST_PDPTE2, 0x280e, VMCS_W64)                                                          \
	F(GUEST_PDPTE3, 0x2810, VMCS_W64)                                                          \
	F(HOST_PAT, 0x2c00, VMCS_W64)                                                              \
	F(HOST_EFER, 0x2c02, VMCS_W64)                                                             \
	/* 32-bit fields (App. B.3) */                                                             \
	F(PIN_CONTROLS, 0x4000, VMCS_W32)                                                          \
	F(PROC_CONTROLS, 0x4002, VMCS_W32)                                                         \
	F(EXCEPTION_BITMAP, 0x4004, VMCS_W32)                                                      \
	F(PF_ERROR_MASK, 0x4006, VMCS_W32)                                                         \
	F(PF_ERROR_MATCH, 0x4008, VMCS_W32)                                                        \
	F(CR3_TARGET_COUNT, 0x400a, VMCS_W32)                                                      \
	F(EXIT_CONTROLS, 0x400c, VMCS_W32)                                                         \
	F(EXIT_MSR_STORE_COUNT, 0x400e, VMCS_W32)                                                  \
	F(EXIT_MSR_LOAD_COUNT, 0x4010, VMCS_W32)                                                   \
	F(ENTRY_CONTROLS, 0x4012, VMCS_W32)                                                        \
	F(ENTRY_MSR_LOAD_COUNT, 0x4014, VMCS_W32)                                                  \
	F(ENTRY_INTR_INFO, 0x4016, VMCS_W32)                                                       \
	F(ENTRY_EXC_ERROR_CODE, 0x4018, VMCS_W32)                                                  \
	F(ENTRY_INSN_LEN, 0x401a, VMCS_W32)                                                        \
	F(PROC_CONTROLS2, 0x401e, VMCS_W32)                                                        \
	F(VM_INSN_ERROR, 0x4400, VMCS_W32)                                                         \
	F(EXIT_REASON, 0x4402, VMCS_W32)                                                           \
	F(EXIT_INTR_INFO, 0x4404, VMCS_W32)                                                        \
	F(EXIT_INTR_ERROR, 0x4406, VMCS_W32)                                                       \
	F(IDT_VECTORING_INFO, 0x4408, VMCS_W32)                                                    \
	F(IDT_VECTORING_ERROR, 0x440a, VMCS_W32)                                                   \
	F(EXIT_INSN_LEN, 0x440c, VMCS_W32)                                                         \
	F(EXIT_INSN_INFO, 0x440e, VMCS_W32)                                                        \
	F(GUEST_ES_LIMIT, 0x4800, VMCS_W32)                                                        \
	F(GUEST_CS_LIMIT, 0x4802, VMCS_W32)                                                        \
	F(GUEST_SS_LIMIT, 0x4804, VMCS_W32)                                                        \
	F(GUEST_DS_LIMIT, 0x4806, VMCS_W32)                                                        \
	F(GUEST_FS_LIMIT, 0x4808, VMCS_W32)                                                        \
	F(GUEST_GS_LIMIT, 0x480a, VMCS_W32)                                                        \
	F(GUEST_LDTR_LIMIT, 0x480c, VMCS_W32)                                                      \
	F(GUEST_TR_LIMIT, 0x480e, VMCS_W32)                                                        \
	F(GUEST_GDTR_LIMIT, 0x4810, VMCS_W32)                                                      \
	F(GUEST_IDTR_LIMIT, 0x4812, VMCS_W32)                                                      \
	F(GUEST_ES_AR, 0x4814, VMCS_W32)                                                           \
	F(GUEST_CS_AR, 0x4816, VMCS_W32)                                                           \
	F(GUEST_SS_AR, 0x4818, VMCS_W32)                                                           \
	F(GUEST_DS_AR, 0x481a, VMCS_W32)                                                           \
	F(GUEST_FS_AR, 0x481c, VMCS_W32)                                                           \
	F(GUEST_GS_AR, 0x481e, VMCS_W32)                                                           \
	F(GUEST_LDTR_AR, 0x4820, VMCS_W32)                                                         \
	F(GUEST_TR_AR, 0x4822, VMCS_W32)                                                           \
	F(GUEST_INTERRUPTIBILITY, 0x4824, VMCS_W32)                                                \
	F(GUEST_ACTIVITY, 0x4826, VMCS_W32)                                                        \
	F(GUEST_SYSENTER_CS, 0x482a, VMCS_W32)                                                     \
	F(PREEMPTION_TIMER, 0x482e, VMCS_W32)                                                      \
	F(HOST_SYSENTER_CS, 0x4c00, VMCS_W32)                                                      \
	/* natural-width fields (App. B.4) */                                                      \
	F(CR0_MASK, 0x6000, VMCS_WNAT)                                                             \
	F(CR4_MASK, 0x6002, VMCS_WNAT)                                                             \
	F(CR0_READ_SHADOW, 0x6004, VMCS_WNAT)                                                      \
	F(CR4_READ_SHADOW, 0x6006, VMCS_WNAT)                                                      \
	F(EXIT_QUALIFICATION, 0x6400, VMCS_WNAT)                                                   \
	F(GUEST_LINEAR_ADDR, 0x640a, VMCS_WNAT)                                                    \
	F(GUEST_CR0, 0x6800, VMCS_WNAT)                                                            \
	F(GUEST_CR3, 0x6802, VMCS_WNAT)                                                            \
	F(GUEST_CR4, 0x6804, VMCS_WNAT)                                                            \
	F(GUEST_ES_BASE, 0x6806, VMCS_WNAT)                                                        \
	F(GUEST_CS_BASE, 0x6808, VMCS_WNAT)                                                        \
	F(GUEST_SS_BASE, 0x680a, VMCS_WNAT)                                                        \
	F(GUEST_DS_BASE, 0x680c, VMCS_WNAT)                                                        \
	F(GUEST_FS_BASE, 0x680e, VMCS_WNAT)                                                        \
	F(GUEST_GS_BASE, 0x6810, VMCS_WNAT)                                                        \
	F(GUEST_LDTR_BASE, 0x6812, VMCS_WNAT)                                                      \
	F(GUEST_TR_BASE, 0x6814, VMCS_WNAT)                                                        \
	F(GUEST_GDTR_BASE, 0x6816, VMCS_WNAT)                                                      \
	F(GUEST_IDTR_BASE, 0x6818, VMCS_WNAT)                                                      \
	F(GUEST_DR7, 0x681a, VMCS_WNAT)                                                            \
	F(GUEST_RSP, 0x681c, VMCS_WNAT)                                                            \
	F(GUEST_RIP, 0x681e, VMCS_WNAT)                                                            \
	F(GUEST_RFLAGS, 0x6820, VMCS_WNAT)                                                         \
	F(GUEST_PENDING_DBG, 0x6822, VMCS_WNAT)                                                    \
	F(GUEST_SYSENTER_ESP, 0x6824, VMCS_WNAT)                                                   \
	F(GUEST_SYSENTER_EIP, 0x6826, VMCS_WNAT)                                                   \
	F(HOST_CR0, 0x6c00, VMCS_WNAT)                                                             \
	F(HOST_CR3, 0x6c02, VMCS_WNAT)                                                             \
	F(HOST_CR4, 0x6c04, VMCS_WNAT)                                                             \
	F(HOST_FS_BASE, 0x6c06, VMCS_WNAT)                                                         \
	F(HOST_GS_BASE, 0x6c08, VMCS_WNAT)                                                         \
	F(HOST_TR_BASE, 0x6c0a, VMCS_WNAT)                                                         \
	F(HOST_GDTR_BASE, 0x6c0c, VMCS_WNAT)                                                       \
	F(HOST_IDTR_BASE, 0x6c0e, VMCS_WNAT)                                                       \
	F(HOST_SYSENTER_ESP, 0x6c10, VMCS_WNAT)                                                    \
	F(HOST_SYSENTER_EIP, 0x6c12, VMCS_WNAT)                                                    \
	F(HOST_RSP, 0x6c14, VMCS_WNAT)                                                             \
	F(HOST_RIP, 0x6c16, VMCS_WNAT)

#define VMCS_ENUM_ENTRY(name, enc, width) VMCS_##name = (enc),
enum vmcs_field { VMCS_FIELD_LIST(VMCS_ENUM_ENTRY) };
#undef VMCS_ENUM_ENTRY

/* Encoding bits 14:13: the field's width class. */
#define VMCS_ENC_WIDTH_SHIFT 13
#define VMCS_ENC_WIDTH_MASK  (3U << VMCS_ENC_WIDTH_SHIFT)

/* VMCS_W16/W32/W64/WNAT from an encoding. */
unsigned int vmcs_field_width(u32 enc);
/* The field's name ("GUEST_CS_AR"), or NULL for an encoding not in the list. */
const char *vmcs_field_name(u32 enc);
/* The declared width of a listed field (VMCS_W*), -1 for an unknown encoding. */
int vmcs_field_declared_width(u32 enc);
/* Iteration over the list (tests, dumps). */
u32 vmcs_field_count(void);
u32 vmcs_field_at(u32 i);

/* VM-instruction error numbers (SDM Vol. 3C 31.4 "VM Instruction Error Numbers"). */
const char *vmx_insn_error_name(u32 err);

#endif
