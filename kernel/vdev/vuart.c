/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual 16550: a register model a polling driver is happy with
 * (PC16550D data sheet register map), and the guest's output collected into
 * lines tagged "[name] ". Printable ASCII and tab pass; every other byte is
 * shown as \xNN, so a guest can neither forge a hypervisor line nor send
 * escape sequences to the operator's terminal. The receive side is a small
 * FIFO the console fills while the guest has input focus; LSR bit 0 (data
 * ready) tells a polling driver.
 *
 * For interrupt-driven drivers (Linux's 8250): IER enables the receive-data
 * and THR-empty interrupts, IIR names the highest-priority pending one
 * (received data above THR empty; reading IIR clears THR empty, writing THR
 * or enabling it sets it again: transmission is instantaneous), and the
 * INTR output, gated by MCR OUT2 as on a PC, goes to an IOAPIC pin through
 * vuart_set_irq (edge-triggered ISA IRQ: the pin follows the level). FCR
 * enables the FIFOs (IIR bits 7:6) and clears the receive FIFO; the trigger
 * level is stored (data is signalled as soon as one byte is there, which is
 * what the character time-out would do). MCR loopback feeds THR back into
 * the receive FIFO and reflects DTR/RTS/OUT1/OUT2 as DSR/CTS/RI/DCD in MSR.
 *
 * The guest's CPU and the console CPU both touch a vuart (transmit vs. the
 * timed flush and input), so every access holds its lock.
 */
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/vdev.h>

/* Register offsets from the base port; DLAB (LCR bit 7) selects the divisor latch. */
#define UART_THR 0 /* write: transmit holding; DLAB: divisor low */
#define UART_RBR 0 /* read: receive buffer */
#define UART_IER 1 /* DLAB: divisor high */
#define UART_IIR 2 /* read: interrupt identification; write: FCR */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define LCR_DLAB	BIT(7)
#define LSR_DR		BIT(0) /* data ready */
#define LSR_THRE	BIT(5) /* transmit holding register empty */
#define LSR_TEMT	BIT(6) /* transmitter empty */
#define IIR_NO_INT	0x01
#define IIR_FIFO_ON	0xc0
#define MSR_DCD_DSR_CTS 0xb0 /* carrier detect, data set ready, clear to send */

#define IER_ERBFI     BIT(0) /* received data available interrupt */
#define IER_ETBEI     BIT(1) /* THR empty interrupt */
#define IIR_THRE      0x02
#define IIR_RDA	      0x04
#define FCR_ENABLE    BIT(0)
#define FCR_CLEAR_RX  BIT(1)
#define FCR_STORED    0xc9   /* trigger level, DMA mode, enable */
#define MCR_OUT2      BIT(3) /* gates INTR onto the ISA IRQ line */
#define MCR_LOOP      BIT(4)
#define MSR_LOOP_BITS 0x0f /* MCR DTR, RTS, OUT1, OUT2 -> MSR DSR, CTS, RI, DCD */

static void default_sink(const char *line, size_t len)
{
	pr_info("%s\n", line);
}

static vuart_sink_fn sink = default_sink;
static vuart_source_sink_fn source_sink;

void vuart_set_sink(vuart_sink_fn fn)
{
	sink = fn ? fn : default_sink;
}

void vuart_set_source_sink(vuart_source_sink_fn fn)
{
	source_sink = fn;
}

void vuart_init(struct vuart *u, const char *guest_name, u16 base)
{
	memset(u, 0, sizeof(*u));
	u->base = base;
	hv_snprintf(u->tag, sizeof(u->tag), "[%s] ", guest_name);
	u->tag_len = strlen(u->tag);
	memcpy(u->line, u->tag, u->tag_len);
	u->lcr = 0x03; /* 8N1 */
}

/* Called with the lock held. */
static void emit(struct vuart *u)
{
	vuart_source_sink_fn ss = source_sink;

	if (!u->len)
		return;
	u->line[u->tag_len + u->len] = '\0';
	if (ss)
		ss(u, u->line, u->tag_len + u->len);
	else
		sink(u->line, u->tag_len + u->len);
	u->len = 0;
}

void vuart_flush(struct vuart *u)
{
	spin_lock(&u->lock);
	emit(u);
	spin_unlock(&u->lock);
}

void vuart_flush_if_idle(struct vuart *u, u32 *seen)
{
	spin_lock(&u->lock);
	if (u->tx_count == *seen)
		emit(u);
	*seen = u->tx_count;
	spin_unlock(&u->lock);
}

void vuart_set_irq(struct vuart *u, void (*irq)(void *ctx, bool level), void *ctx)
{
	spin_lock(&u->lock);
	u->irq = irq;
	u->irq_ctx = ctx;
	u->irq_level = false;
	spin_unlock(&u->lock);
}

/* The pending interrupt's IIR identification (bits 3:0), IIR_NO_INT if none. */
static u8 iir_id(const struct vuart *u)
{
	if ((u->ier & IER_ERBFI) && u->rx_head != u->rx_tail)
		return IIR_RDA;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE;
	return IIR_NO_INT;
}

/* Drives the interrupt line after a change. Called with the lock held. */
static void update_irq(struct vuart *u)
{
	bool level = (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP) && iir_id(u) != IIR_NO_INT;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->irq_ctx, level);
}

int vuart_receive(struct vuart *u, u8 c)
{
	int rc = 0;

	spin_lock(&u->lock);
	if (u->rx_head - u->rx_tail >= VUART_RX_SIZE) {
		u->rx_dropped++;
		rc = -ENOSPC;
	} else {
		u->rx[u->rx_head++ % VUART_RX_SIZE] = c;
		u->rx_bytes++;
	}
	update_irq(u);
	spin_unlock(&u->lock);
	return rc;
}

static u8 rx_pop(struct vuart *u)
{
	if (u->rx_head == u->rx_tail)
		return 0;
	return u->rx[u->rx_tail++ % VUART_RX_SIZE];
}

static void put(struct vuart *u, const char *s, size_t n)
{
	if (u->len + n > VUART_LINE_MAX)
		emit(u); /* a full buffer is emitted as its own line */
	memcpy(u->line + u->tag_len + u->len, s, n);
	u->len += n;
}

static void transmit(struct vuart *u, u8 c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

	u->tx_count++;
	if (c == '\n') {
		emit(u);
		return;
	}
	if (c == '\r')
		return; /* CR LF line ends: the LF ends the line */
	if (c == '\t' || (c >= 0x20 && c < 0x7f))
		put(u, (const char *)&c, 1);
	else
		put(u, esc, sizeof(esc));
}

/* Loopback: DTR -> DSR, RTS -> CTS, OUT1 -> RI, OUT2 -> DCD (PC16550D, "MCR bit 4"). */
static u8 loop_msr(u8 mcr)
{
	return (u8)(((mcr & 1) << 5) | ((mcr & 2) << 3) | ((mcr & 4) << 4) | ((mcr & 8) << 4));
}

static void read_reg(struct vuart *u, u64 addr, u64 *val)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch ((addr - u->base) & 7) {
	case UART_RBR:
		*val = dlab ? u->dll : rx_pop(u);
		break;
	case UART_IER:
		*val = dlab ? u->dlm : u->ier;
		break;
	case UART_IIR:
		*val = iir_id(u) | (u->fcr & FCR_ENABLE ? IIR_FIFO_ON : 0);
		if (*val & IIR_THRE && !(*val & IIR_RDA))
			u->thre_pending = false; /* reading IIR acknowledges THR empty */
		break;
	case UART_LCR:
		*val = u->lcr;
		break;
	case UART_MCR:
		*val = u->mcr;
		break;
	case UART_LSR:
		*val = LSR_THRE | LSR_TEMT | (u->rx_head != u->rx_tail ? LSR_DR : 0);
		break;
	case UART_MSR:
		*val = u->mcr & MCR_LOOP ? loop_msr(u->mcr) : MSR_DCD_DSR_CTS;
		break;
	default:
		*val = u->scr;
		break;
	}
}

static int vuart_read(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 *val)
{
	struct vuart *u = ctx;

	spin_lock(&u->lock);
	read_reg(u, addr, val);
	update_irq(u);
	spin_unlock(&u->lock);
	return 0;
}

/* Loopback mode: the transmitted byte arrives in the receive FIFO. */
static void loop_back(struct vuart *u, u8 c)
{
	if (u->rx_head - u->rx_tail < VUART_RX_SIZE)
		u->rx[u->rx_head++ % VUART_RX_SIZE] = c;
}

static void write_reg(struct vuart *u, u64 addr, u64 val)
{
	bool dlab = u->lcr & LCR_DLAB;
	u8 b = (u8)val;

	switch ((addr - u->base) & 7) {
	case UART_THR:
		if (dlab) {
			u->dll = b;
		} else {
			if (u->mcr & MCR_LOOP)
				loop_back(u, b);
			else
				transmit(u, b);
			u->thre_pending = true; /* sent at once: THR is empty again */
		}
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = b;
		} else {
			if ((b & IER_ETBEI) && !(u->ier & IER_ETBEI))
				u->thre_pending = true; /* enabling it with THR empty interrupts */
			u->ier = b & 0x0f;
		}
		break;
	case UART_IIR: /* FCR */
		u->fcr = b & FCR_STORED;
		if (b & FCR_CLEAR_RX)
			u->rx_tail = u->rx_head;
		break;
	case UART_LCR:
		u->lcr = b;
		break;
	case UART_MCR:
		u->mcr = b & 0x1f;
		break;
	case UART_SCR:
		u->scr = b;
		break;
	default: /* LSR, MSR: nothing to keep */
		break;
	}
}

static int vuart_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vuart *u = ctx;

	spin_lock(&u->lock);
	write_reg(u, addr, val);
	update_irq(u);
	spin_unlock(&u->lock);
	return 0;
}

const struct vdev_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};
