/* SPDX-License-Identifier: Apache-2.0 */
/* VMCS field names and widths, and VM-instruction error strings. Pure: host-tested. */
#include "vmcs.h"

struct vmcs_field_desc {
	u32 enc;
	u8 width;
	const char *name;
};

#define VMCS_DESC_ENTRY(n, e, w) {(e), (w), #n},
static const struct vmcs_field_desc vmcs_fields[] = {VMCS_FIELD_LIST(VMCS_DESC_ENTRY)};
#undef VMCS_DESC_ENTRY

static const u8 width_by_class[4] = {VMCS_W16, VMCS_W64, VMCS_W32, VMCS_WNAT};

unsigned int vmcs_field_width(u32 enc)
{
	return width_by_class[(enc & VMCS_ENC_WIDTH_MASK) >> VMCS_ENC_WIDTH_SHIFT];
}

static const struct vmcs_field_desc *find(u32 enc)
{
	for (size_t i = 0; i < ARRAY_SIZE(vmcs_fields); i++)
		if (vmcs_fields[i].enc == enc)
			return &vmcs_fields[i];
	return NULL;
}

const char *vmcs_field_name(u32 enc)
{
	const struct vmcs_field_desc *d = find(enc);

	return d ? d->name : NULL;
}

int vmcs_field_declared_width(u32 enc)
{
	const struct vmcs_field_desc *d = find(enc);

	return d ? d->width : -1;
}

u32 vmcs_field_count(void)
{
	return ARRAY_SIZE(vmcs_fields);
}

u32 vmcs_field_at(u32 i)
{
	return i < ARRAY_SIZE(vmcs_fields) ? vmcs_fields[i].enc : 0;
}

/* SDM Vol. 3C 31.4, Table 31-1 "VM-Instruction Error Numbers". */
static const char *const insn_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(u32 err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}
