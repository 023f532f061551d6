//go:build amd64 && !purego

#include "textflag.h"

// The two tile kernels below share everything but how a row of B is
// loaded, so the parts are macros. Registers: CX counts k down, AX walks
// A's row 0 and R13 its row 5 (R8 = lda, R10 = 3·lda, in bytes), BX walks
// B, DX is C's row 0 and R12 its row 4 (R9 = ldc, R11 = 3·ldc). Y0-Y11
// hold the 6×16 tile of C, Y12/Y13 one row of B, Y14/Y15 the broadcast
// elements of A.

// SETUP turns the strides into bytes and finds the rows kept in registers.
#define SETUP \
	SHLQ $2, R8; \
	SHLQ $2, R9; \
	LEAQ (R8)(R8*2), R10; \
	LEAQ (R9)(R9*2), R11; \
	LEAQ (AX)(R8*4), R13; \
	ADDQ R8, R13; \
	LEAQ (DX)(R9*4), R12

// LOADC reads the 6×16 tile of C.
#define LOADC \
	VMOVUPS (DX), Y0; \
	VMOVUPS 32(DX), Y1; \
	VMOVUPS (DX)(R9*1), Y2; \
	VMOVUPS 32(DX)(R9*1), Y3; \
	VMOVUPS (DX)(R9*2), Y4; \
	VMOVUPS 32(DX)(R9*2), Y5; \
	VMOVUPS (DX)(R11*1), Y6; \
	VMOVUPS 32(DX)(R11*1), Y7; \
	VMOVUPS (R12), Y8; \
	VMOVUPS 32(R12), Y9; \
	VMOVUPS (R12)(R9*1), Y10; \
	VMOVUPS 32(R12)(R9*1), Y11

// STEP adds column p of A's six rows times row p of B (in Y12/Y13) to the
// tile, and moves A on to column p+1.
#define STEP \
	VBROADCASTSS (AX), Y14; \
	VFMADD231PS  Y12, Y14, Y0; \
	VFMADD231PS  Y13, Y14, Y1; \
	VBROADCASTSS (AX)(R8*1), Y15; \
	VFMADD231PS  Y12, Y15, Y2; \
	VFMADD231PS  Y13, Y15, Y3; \
	VBROADCASTSS (AX)(R8*2), Y14; \
	VFMADD231PS  Y12, Y14, Y4; \
	VFMADD231PS  Y13, Y14, Y5; \
	VBROADCASTSS (AX)(R10*1), Y15; \
	VFMADD231PS  Y12, Y15, Y6; \
	VFMADD231PS  Y13, Y15, Y7; \
	VBROADCASTSS (AX)(R8*4), Y14; \
	VFMADD231PS  Y12, Y14, Y8; \
	VFMADD231PS  Y13, Y14, Y9; \
	VBROADCASTSS (R13), Y15; \
	VFMADD231PS  Y12, Y15, Y10; \
	VFMADD231PS  Y13, Y15, Y11; \
	ADDQ         $4, AX; \
	ADDQ         $4, R13

// RELU sets the tile to max(tile, 0).
#define RELU \
	VXORPS Y12, Y12, Y12; \
	VMAXPS Y12, Y0, Y0; \
	VMAXPS Y12, Y1, Y1; \
	VMAXPS Y12, Y2, Y2; \
	VMAXPS Y12, Y3, Y3; \
	VMAXPS Y12, Y4, Y4; \
	VMAXPS Y12, Y5, Y5; \
	VMAXPS Y12, Y6, Y6; \
	VMAXPS Y12, Y7, Y7; \
	VMAXPS Y12, Y8, Y8; \
	VMAXPS Y12, Y9, Y9; \
	VMAXPS Y12, Y10, Y10; \
	VMAXPS Y12, Y11, Y11

// STOREC writes the tile back to C.
#define STOREC \
	VMOVUPS Y0, (DX); \
	VMOVUPS Y1, 32(DX); \
	VMOVUPS Y2, (DX)(R9*1); \
	VMOVUPS Y3, 32(DX)(R9*1); \
	VMOVUPS Y4, (DX)(R9*2); \
	VMOVUPS Y5, 32(DX)(R9*2); \
	VMOVUPS Y6, (DX)(R11*1); \
	VMOVUPS Y7, 32(DX)(R11*1); \
	VMOVUPS Y8, (R12); \
	VMOVUPS Y9, 32(R12); \
	VMOVUPS Y10, (R12)(R9*1); \
	VMOVUPS Y11, 32(R12)(R9*1); \
	VZEROUPPER

// func kernelAVX2(k int, a *float32, lda int, b *float32, c *float32, ldc int, relu int)
//
// C[6×16] += A[6×k]·B[k×16], then C = max(C, 0) if relu != 0. A and C are
// row-major with row strides lda and ldc (in floats); B is one packed
// panel, 16 contiguous floats per row.
TEXT ·kernelAVX2(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R9
	SETUP
	LOADC

loop:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	STEP
	ADDQ    $64, BX
	DECQ    CX
	JNZ     loop

	MOVQ  relu+48(FP), CX
	TESTQ CX, CX
	JZ    store
	RELU

store:
	STOREC
	RET

// func kernelHalfAVX2(k int, a *float32, lda int, b *byte, c *float32, ldc int, relu int)
//
// kernelAVX2 for a panel of IEEE half floats, 16 contiguous halves per
// row, each row widened to float32 (exactly, F16C) as it is loaded. The
// arithmetic is kernelAVX2's, operation for operation.
TEXT ·kernelHalfAVX2(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R9
	SETUP
	LOADC

hloop:
	VCVTPH2PS (BX), Y12
	VCVTPH2PS 16(BX), Y13
	STEP
	ADDQ      $32, BX
	DECQ      CX
	JNZ       hloop

	MOVQ  relu+48(FP), CX
	TESTQ CX, CX
	JZ    hstore
	RELU

hstore:
	STOREC
	RET
