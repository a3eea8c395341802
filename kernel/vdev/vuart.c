/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual 16550: a register model a polling driver is happy with
 * (PC16550D data sheet register map), and the guest's output collected into
 * lines tagged "[name] ". Printable ASCII and tab pass; every other byte is
 * shown as \xNN, so a guest can neither forge a hypervisor line nor send
 * escape sequences to the operator's terminal. The receive side is a small
 * FIFO the console fills while the guest has input focus; LSR bit 0 (data
 * ready) tells a polling driver. No interrupts yet.
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
		*val = IIR_NO_INT | IIR_FIFO_ON;
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
		*val = MSR_DCD_DSR_CTS;
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
	spin_unlock(&u->lock);
	return 0;
}

static void write_reg(struct vuart *u, u64 addr, u64 val)
{
	bool dlab = u->lcr & LCR_DLAB;
	u8 b = (u8)val;

	switch ((addr - u->base) & 7) {
	case UART_THR:
		if (dlab)
			u->dll = b;
		else
			transmit(u, b);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = b;
		else
			u->ier = b & 0x0f;
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
	default: /* FCR, LSR, MSR: nothing to keep */
		break;
	}
}

static int vuart_write(void *ctx, struct vcpu *v, u64 addr, unsigned int size, u64 val)
{
	struct vuart *u = ctx;

	spin_lock(&u->lock);
	write_reg(u, addr, val);
	spin_unlock(&u->lock);
	return 0;
}

const struct vdev_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};
