/* Mixed-workload CPU benchmark: per repetition an LCG fills a buffer, insertion sort orders it and
 * CRC32 (bitwise) checksums it. The checksum is printed to port 0xE9 as "DONE xxxxxxxx\n". */
#ifndef REPS
#define REPS 200
#endif
#define N 512

static unsigned char buf[N];

static inline void outb(unsigned short port, unsigned char v) {
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void fill(unsigned int *seed) {
	for (int i = 0; i < N; i++) {
		*seed = *seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(*seed >> 16);
	}
}

static void sort(void) {
	for (int i = 1; i < N; i++) {
		unsigned char v = buf[i];
		int j = i - 1;
		while (j >= 0 && buf[j] > v) {
			buf[j + 1] = buf[j];
			j--;
		}
		buf[j + 1] = v;
	}
}

static unsigned int crc32(unsigned int crc) {
	crc = ~crc;
	for (int i = 0; i < N; i++) {
		crc ^= buf[i];
		for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
	}
	return ~crc;
}

static void puthex(unsigned int v) {
	for (int s = 28; s >= 0; s -= 4) outb(0xe9, "0123456789abcdef"[(v >> s) & 15]);
}

unsigned int kmain(void) {
	unsigned int seed = 1, crc = 0;
	for (int r = 0; r < REPS; r++) {
		fill(&seed);
		sort();
		crc = crc32(crc);
	}
	const char *msg = "DONE ";
	while (*msg) outb(0xe9, *msg++);
	puthex(crc);
	outb(0xe9, '\n');
	return crc;
}
