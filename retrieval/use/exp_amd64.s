//go:build amd64 && !purego

#include "textflag.h"

// Constants of expSubAVX2; the polynomial is the one of expNeg.
DATA expconst<>+0(SB)/4, $0xc2ae0000  // -87
DATA expconst<>+4(SB)/4, $0x3fb8aa3b  // log2(e)
DATA expconst<>+8(SB)/4, $0x3f318000  // ln2, high part
DATA expconst<>+12(SB)/4, $0xb95e8083 // ln2, low part
DATA expconst<>+16(SB)/4, $0x39506967 // c0
DATA expconst<>+20(SB)/4, $0x3ab743ce // c1
DATA expconst<>+24(SB)/4, $0x3c088908 // c2
DATA expconst<>+28(SB)/4, $0x3d2aa9c1 // c3
DATA expconst<>+32(SB)/4, $0x3e2aaaaa // c4
DATA expconst<>+36(SB)/4, $0x3f000000 // c5
DATA expconst<>+40(SB)/4, $0x3f800000 // 1
DATA expconst<>+44(SB)/4, $127        // exponent bias
GLOBL expconst<>(SB), RODATA|NOPTR, $48

// func expSubAVX2(x *float32, n int, mx float32)
//
// x[i] = e^max(x[i]-mx, -87) for i < n; n is a positive multiple of 8.
// Same method as expNeg, eight lanes at a time: k = round(t·log2 e),
// r = t - k·ln2, e^t = 2^k·(1 + r + r²·p(r)).
TEXT ·expSubAVX2(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), DI
	MOVQ         n+8(FP), CX
	VBROADCASTSS mx+16(FP), Y15
	VBROADCASTSS expconst<>+0(SB), Y14
	VBROADCASTSS expconst<>+4(SB), Y13
	VBROADCASTSS expconst<>+8(SB), Y12
	VBROADCASTSS expconst<>+12(SB), Y11
	VBROADCASTSS expconst<>+16(SB), Y10
	VBROADCASTSS expconst<>+20(SB), Y9
	VBROADCASTSS expconst<>+24(SB), Y8
	VBROADCASTSS expconst<>+28(SB), Y7
	VBROADCASTSS expconst<>+32(SB), Y6
	VBROADCASTSS expconst<>+36(SB), Y5
	VBROADCASTSS expconst<>+40(SB), Y4
	VPBROADCASTD expconst<>+44(SB), Y3

loop:
	VMOVUPS      (DI), Y0
	VSUBPS       Y15, Y0, Y0      // t = x - mx
	VMAXPS       Y14, Y0, Y0      // t = max(t, -87)
	VMULPS       Y13, Y0, Y1
	VROUNDPS     $0, Y1, Y1       // k = round(t·log2 e)
	VFNMADD231PS Y12, Y1, Y0      // r = t - k·ln2hi
	VFNMADD231PS Y11, Y1, Y0      // r -= k·ln2lo
	VMOVAPS      Y10, Y2
	VFMADD213PS  Y9, Y0, Y2       // p = p·r + c
	VFMADD213PS  Y8, Y0, Y2
	VFMADD213PS  Y7, Y0, Y2
	VFMADD213PS  Y6, Y0, Y2
	VFMADD213PS  Y5, Y0, Y2
	VMULPS       Y0, Y2, Y2       // p·r
	VFMADD213PS  Y0, Y0, Y2       // p·r² + r
	VADDPS       Y4, Y2, Y2       // + 1
	VCVTPS2DQ    Y1, Y1
	VPADDD       Y3, Y1, Y1
	VPSLLD       $23, Y1, Y1      // 2^k
	VMULPS       Y1, Y2, Y2
	VMOVUPS      Y2, (DI)
	ADDQ         $32, DI
	SUBQ         $8, CX
	JNZ          loop
	VZEROUPPER
	RET
