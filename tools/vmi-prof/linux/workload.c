/* /init of the Linux workload (docs/profiling.md, "Linux"): a static i386 program with no libc
 * (raw int $0x80 system calls) that runs phases of kernel work, each between two serial lines, and
 * prints what each cost:
 *
 *   phase NAME begin
 *   phase NAME end iters=N tsc=T rounds=R min_round=M
 *                                         the N operations in R equal rounds, each between two
 *                                         rdtsc: T their sum, M the cheapest round (one that no
 *                                         interrupt hit); under QEMU's -icount shift=0 the TSC
 *                                         counts guest instructions
 *
 * When the loader counted the sites (vmi.count=1: the environment holds vmicount=PHYS, the
 * counting area of loader/count_area.h), the counters are read through /dev/mem right after the
 * begin line and right before the end line, and at the end every phase's counts (and the totals
 * since boot) are printed as profile blocks that vmi-prof --sites reads:
 *
 *   profile begin format=vmi-profile-1 phase=NAME sites=K
 *   site addr=0x... count=N               (sites that ran in the phase)
 *   profile end sites=K
 *
 * The snapshots use int $0x80 only, so the SYSENTER path runs only in the getpid-sysenter phase.
 * Then "WORKLOAD DONE" and QEMU's isa-debug-exit (exit status 99). */
#include "count_area.h"

typedef unsigned int u32;
typedef unsigned long long u64;

#define SYS_exit 1
#define SYS_fork 2
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_waitpid 7
#define SYS_mknod 14
#define SYS_getpid 20
#define SYS_pipe 42
#define SYS_ioctl 54
#define SYS_reboot 88
#define SYS_mmap 90          /* old_mmap: one pointer to six arguments */
#define SYS_munmap 91
#define SYS_iopl 110
#define SYS_pread64 180
#define TCSBRK 0x5409

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static long sys5(long n, long a, long b, long c, long d, long e)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return r;
}

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

/* ---- output: one buffer, written whole, then drained to the serial port ---- */
static char out[8192];
static u32 outlen;

static void flush(void)
{
    u32 off = 0;
    while (off < outlen) {
        long w = sys3(SYS_write, 1, (long)(out + off), outlen - off);
        if (w <= 0)
            break;
        off += (u32)w;
    }
    outlen = 0;
    sys3(SYS_ioctl, 1, TCSBRK, 1);      /* nothing of it left pending when a phase starts */
}

static void put(const char *s)
{
    while (*s) {
        if (outlen == sizeof(out))
            flush();
        out[outlen++] = *s++;
    }
}

static void putu(u64 v, int base)
{
    char b[24];
    int i = 23;
    b[i] = 0;
    do {
        b[--i] = "0123456789abcdef"[v % (u64)base];
        v /= (u64)base;
    } while (v);
    put(b + i);
}

static void puthex8(u32 v)
{
    char b[11] = "0x";
    for (int k = 0; k < 8; k++)
        b[2 + k] = "0123456789abcdef"[(v >> (28 - 4 * k)) & 15];
    b[10] = 0;
    put(b);
}

/* ---- the counting area, through /dev/mem ---- */
#define MAX_PHASES 8
static struct count_area_header hdr;
static u32 addrs[COUNT_AREA_MAX_SITES];
static u32 snap[MAX_PHASES][2][COUNT_AREA_MAX_SITES];
static u32 total[COUNT_AREA_MAX_SITES];
static long mem_fd = -1;
static u32 area_phys;

static long pread_phys(void *buf, u32 len, u32 pa)
{
    return sys5(SYS_pread64, mem_fd, (long)buf, len, pa, 0);
}

static void snapshot(u32 *to)
{
    if (mem_fd >= 0)
        pread_phys(to, hdr.sites * 4, area_phys + hdr.counters_offs);
}

static u32 parse_hex(const char *s)
{
    u32 v = 0;
    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    for (; *s; s++)
        v = v * 16 + (u32)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    return v;
}

static void open_area(char **envp)
{
    for (; *envp; envp++) {
        const char *e = *envp, *k = "vmicount=";
        while (*k && *e == *k)
            e++, k++;
        if (!*k)
            area_phys = parse_hex(e);
    }
    if (!area_phys)
        return;
    sys3(SYS_mknod, (long)"/dev/mem", 0020000 | 0600, (1 << 8) | 1);
    mem_fd = sys3(SYS_open, (long)"/dev/mem", 0, 0);
    if (mem_fd < 0 || pread_phys(&hdr, sizeof(hdr), area_phys) != (long)sizeof(hdr) ||
        hdr.magic != COUNT_AREA_MAGIC || hdr.sites > COUNT_AREA_MAX_SITES ||
        pread_phys(addrs, hdr.sites * 4, area_phys + hdr.addrs_offs) != (long)(hdr.sites * 4)) {
        put("workload: no counting area at ");
        puthex8(area_phys);
        put("\n");
        mem_fd = -1;
        return;
    }
    put("workload: counting area at ");
    puthex8(area_phys);
    put(" sites=");
    putu(hdr.sites, 10);
    put(" plan=");
    put(hdr.policy);
    put("\n");
}

/* ---- the phases ---- */
static u32 vdso_entry;

static long vdso_getpid(void)
{
    long r;
    __asm__ volatile("call *%1" : "=a"(r) : "m"(vdso_entry), "a"(SYS_getpid) : "memory", "ecx", "edx");
    return r;
}

static void op_fork(u32 n)
{
    for (u32 i = 0; i < n; i++) {
        long pid = sys3(SYS_fork, 0, 0, 0);
        if (pid == 0)
            sys3(SYS_exit, 0, 0, 0);
        sys3(SYS_waitpid, pid, 0, 0);
    }
}

static void op_getpid_int80(u32 n)
{
    for (u32 i = 0; i < n; i++)
        sys3(SYS_getpid, 0, 0, 0);
}

static void op_getpid_sysenter(u32 n)
{
    for (u32 i = 0; i < n; i++)
        vdso_getpid();
}

static long map_anon(u32 len)
{
    u32 a[6] = { 0, len, 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */,
                 (u32)-1, 0 };
    return sys3(SYS_mmap, (long)a, 0, 0);
}

#define MMAP_PAGES 4
static void op_mmap(u32 n)
{
    for (u32 i = 0; i < n; i++) {
        long p = map_anon(MMAP_PAGES * 4096);
        for (u32 k = 0; k < MMAP_PAGES; k++)
            ((volatile char *)p)[k * 4096] = 1;
        sys3(SYS_munmap, p, MMAP_PAGES * 4096, 0);
    }
}

#define FAULT_PAGES 256          /* an operation of the fault storm is one page fault */
static void op_faults(u32 n)
{
    for (u32 done = 0; done < n; done += FAULT_PAGES) {
        long p = map_anon(FAULT_PAGES * 4096);
        for (u32 k = 0; k < FAULT_PAGES; k++)
            ((volatile char *)p)[k * 4096] = 1;
        sys3(SYS_munmap, p, FAULT_PAGES * 4096, 0);
    }
}

static long ping[2], pong[2], pipe_child;

static void pipe_setup(u32 n)
{
    char c;
    sys3(SYS_pipe, (long)ping, 0, 0);
    sys3(SYS_pipe, (long)pong, 0, 0);
    pipe_child = sys3(SYS_fork, 0, 0, 0);
    if (pipe_child == 0) {
        for (u32 i = 0; i < n; i++) {
            sys3(SYS_read, ping[0], (long)&c, 1);
            sys3(SYS_write, pong[1], (long)&c, 1);
        }
        sys3(SYS_exit, 0, 0, 0);
    }
}

static void op_pipe(u32 n)
{
    char c = 'x';
    for (u32 i = 0; i < n; i++) {
        sys3(SYS_write, ping[1], (long)&c, 1);
        sys3(SYS_read, pong[0], (long)&c, 1);
    }
}

static void pipe_done(u32 n)
{
    (void)n;
    sys3(SYS_waitpid, pipe_child, 0, 0);
    for (int k = 0; k < 2; k++) {
        sys3(SYS_close, ping[k], 0, 0);
        sys3(SYS_close, pong[k], 0, 0);
    }
}

static void op_none(u32 n)
{
    (void)n;
}

struct phase {
    const char *name;
    u32 iters, rounds;          /* iters in `rounds` equal rounds, each timed on its own */
    void (*setup)(u32), (*run)(u32), (*done)(u32);
};

static const struct phase phases[] = {
    { "null", 1, 1, 0, op_none, 0 },
    { "fork-wait", 20, 5, 0, op_fork, 0 },
    { "getpid-int80", 2000, 5, 0, op_getpid_int80, 0 },
    { "getpid-sysenter", 2000, 5, 0, op_getpid_sysenter, 0 },
    { "mmap-touch-munmap", 100, 5, 0, op_mmap, 0 },
    { "pipe-pingpong", 200, 5, pipe_setup, op_pipe, pipe_done },
    { "page-faults", 4 * FAULT_PAGES, 4, 0, op_faults, 0 },
};
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

static void run_phase(u32 k)
{
    const struct phase *p = &phases[k];
    if (p->run == op_getpid_sysenter && !vdso_entry) {
        put("phase getpid-sysenter skipped: no AT_SYSINFO\n");
        flush();
        return;
    }
    if (p->setup)
        p->setup(p->iters);
    put("phase ");
    put(p->name);
    put(" begin\n");
    flush();
    u64 sum = 0, min = ~0ull;
    snapshot(snap[k][0]);
    for (u32 r = 0; r < p->rounds; r++) {
        u64 t0 = rdtsc();
        p->run(p->iters / p->rounds);
        u64 d = rdtsc() - t0;
        sum += d;
        min = d < min ? d : min;
    }
    snapshot(snap[k][1]);
    if (p->done)
        p->done(p->iters);
    put("phase ");
    put(p->name);
    put(" end iters=");
    putu(p->iters, 10);
    put(" tsc=");
    putu(sum, 10);
    put(" rounds=");
    putu(p->rounds, 10);
    put(" min_round=");
    putu(min, 10);
    put("\n");
    flush();
}

static void print_profile(const char *name, const u32 *from, const u32 *to)
{
    u32 k = 0;
    for (u32 i = 0; i < hdr.sites; i++)
        k += to[i] != (from ? from[i] : 0);
    put("profile begin format=vmi-profile-1 phase=");
    put(name);
    put(" sites=");
    putu(k, 10);
    put("\n");
    for (u32 i = 0; i < hdr.sites; i++) {
        u32 d = to[i] - (from ? from[i] : 0);
        if (!d)
            continue;
        put("site addr=");
        puthex8(addrs[i]);
        put(" count=");
        putu(d, 10);
        put("\n");
    }
    put("profile end sites=");
    putu(k, 10);
    put("\n");
}

void cmain(u32 *sp);
void cmain(u32 *sp)
{
    u32 argc = sp[0];
    char **envp = (char **)(sp + 1 + argc + 1);
    u32 *auxv = (u32 *)envp;
    while (*auxv)
        auxv++;
    for (auxv++; auxv[0]; auxv += 2)
        if (auxv[0] == 32 /* AT_SYSINFO */)
            vdso_entry = auxv[1];
    put("\nWORKLOAD START\n");
    open_area(envp);
    flush();
    for (u32 k = 0; k < NPHASES; k++)
        run_phase(k);
    if (mem_fd >= 0) {
        snapshot(total);
        for (u32 k = 0; k < NPHASES; k++)
            if (phases[k].run != op_getpid_sysenter || vdso_entry)
                print_profile(phases[k].name, snap[k][0], snap[k][1]);
        print_profile("total", 0, total);
    }
    long r = sys3(SYS_iopl, 3, 0, 0);
    put("WORKLOAD DONE\n");
    flush();
    if (r == 0)
        __asm__ volatile("outb %b0, %w1" : : "a"(0x31), "Nd"(0xf4));
    sys3(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc);
    for (;;)
        ;
}

__asm__(".globl _start\n_start:\n\tmov %esp,%eax\n\tand $-16,%esp\n\tsub $12,%esp\n\tpush %eax\n"
        "\tcall cmain\n\thlt\n");
/* SPDX-License-Identifier: GPL-2.0-only */
