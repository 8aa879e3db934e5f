;; The Walsh-Hadamard butterfly shared by the cpu and wasm kernels, the two sweeps of the fused
;; recurrence, the affine map's weight gradients and every-step inference.
;;
;; This module runs IN PLACE on the memory it imports: the tfjs-wasm heap (every pointer argument a
;; tensor's `memoryOffset`) or the cpu kernels' private memory; pointers are byte offsets, lengths
;; count float32 values. The semantics are those of the *_impl.ts files beside this folder.
;;
;; scripts/build_wasm.mjs builds four variants of this one source: lines between `;; @if simd` and
;; `;; @end` exist only in the SIMD128 builds, lines under `;; @if shared` only in the builds that
;; import a shared memory (the threaded tfjs-wasm binary); `;; @else` flips a condition. Without
;; SIMD, the scalar loops that handle SIMD tails do all the work.
;;
;; Transform (natural order): stage h replaces each pair (x[i], x[i + h]) by their sum and
;; difference. Stages commute, so the SIMD path runs them as:
;;   - one first pass over 16 contiguous values (four vectors) doing stages 1 and 2 inside each
;;     vector (one shuffle, one sign flip and one add per stage), stages 4 and 8 between the four
;;     vectors, and the scale (one multiply): it reads the source and writes the destination, so
;;     out-of-place and normalized transforms cost no extra pass;
;;   - then in-place radix-8/4/2 passes of whole vectors for stages 16 and up;
;;   - over chunks of at most 16 KiB (or one block), so that every pass finds its chunk in L1.
(module
  ;; Limits that every 32-bit heap meets (a shared memory must declare a maximum), so the import
  ;; links with any tfjs-wasm heap of the right sharedness.
  ;; @if shared
  (import "env" "memory" (memory 0 65536 shared))
  ;; @else
  (import "env" "memory" (memory 0))
  ;; @end

  ;; --------------------------------------------------------------------------------------------
  ;; Scalar butterfly: the non-SIMD build, and the tail of fewer than 16 values that a small block
  ;; size leaves after the SIMD path. Stage 1 reads src, scales and writes dst; the others run in
  ;; place on dst.
  (func $scalarTransform
    (param $src i32) (param $dst i32) (param $len i32) (param $log2b i32) (param $scale f32)
    (local $end i32) (local $hb i32) (local $blockEnd i32) (local $p i32) (local $a f32) (local $b f32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 2))))
    (if (i32.eqz (local.get $log2b))
      (then
        (block $done
          (loop $values
            (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
            (f32.store (local.get $dst) (f32.mul (f32.load (local.get $src)) (local.get $scale)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (br $values)))
        (return)))
    (local.set $p (local.get $dst))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (f32.load (local.get $src)))
        (local.set $b (f32.load offset=4 (local.get $src)))
        (f32.store (local.get $p) (f32.mul (f32.add (local.get $a) (local.get $b)) (local.get $scale)))
        (f32.store offset=4 (local.get $p)
          (f32.mul (f32.sub (local.get $a) (local.get $b)) (local.get $scale)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $pairs)))
    ;; Stages h = 2 .. b/2; hb is h in bytes.
    (local.set $hb (i32.const 8))
    (block $stagesDone
      (loop $stages
        (br_if $stagesDone
          (i32.ge_u (local.get $hb) (i32.shl (i32.const 4) (local.get $log2b))))
        (local.set $p (local.get $dst))
        (block $groupsDone
          (loop $groups
            (br_if $groupsDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $blockEnd (i32.add (local.get $p) (local.get $hb)))
            (loop $pairs
              (local.set $a (f32.load (local.get $p)))
              (local.set $b (f32.load (i32.add (local.get $p) (local.get $hb))))
              (f32.store (local.get $p) (f32.add (local.get $a) (local.get $b)))
              (f32.store (i32.add (local.get $p) (local.get $hb))
                (f32.sub (local.get $a) (local.get $b)))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br_if $pairs (i32.lt_u (local.get $p) (local.get $blockEnd))))
            (local.set $p (i32.add (local.get $p) (local.get $hb)))
            (br $groups)))
        (local.set $hb (i32.shl (local.get $hb) (i32.const 1)))
        (br $stages)))
  )

  ;; @if simd
  ;; --------------------------------------------------------------------------------------------
  ;; SIMD128 butterfly.

  ;; Stages 1, 2, 4 and 8 (those below b) and the scale, src -> dst, on len values (a multiple of
  ;; 16). Stage 1 inside a vector: [a0, -a1, a2, -a3] + [a1, a0, a3, a2]; stage 2 likewise with
  ;; lanes swapped in pairs. The branches on log2b are the same on every iteration.
  (func $firstPass
    (param $src i32) (param $dst i32) (param $len i32) (param $log2b i32) (param $scale f32)
    (local $end i32) (local $k v128) (local $t v128) (local $odd v128) (local $high v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $k (f32x4.splat (local.get $scale)))
    ;; Sign-bit masks of lanes 1 and 3, and of lanes 2 and 3, built once.
    (local.set $odd (v128.const i32x4 0 0x80000000 0 0x80000000))
    (local.set $high (v128.const i32x4 0 0 0x80000000 0x80000000))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 2))))
    (block $done
      (loop $sixteens
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $v0 (v128.load (local.get $src)))
        (local.set $v1 (v128.load offset=16 (local.get $src)))
        (local.set $v2 (v128.load offset=32 (local.get $src)))
        (local.set $v3 (v128.load offset=48 (local.get $src)))
        (if (i32.ge_u (local.get $log2b) (i32.const 1))
          (then
            (local.set $v0 (f32x4.add
              (v128.xor (local.get $v0) (local.get $odd))
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v0) (local.get $v0))))
            (local.set $v1 (f32x4.add
              (v128.xor (local.get $v1) (local.get $odd))
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v1) (local.get $v1))))
            (local.set $v2 (f32x4.add
              (v128.xor (local.get $v2) (local.get $odd))
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v2) (local.get $v2))))
            (local.set $v3 (f32x4.add
              (v128.xor (local.get $v3) (local.get $odd))
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v3) (local.get $v3))))))
        (if (i32.ge_u (local.get $log2b) (i32.const 2))
          (then
            (local.set $v0 (f32x4.add
              (v128.xor (local.get $v0) (local.get $high))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v0) (local.get $v0))))
            (local.set $v1 (f32x4.add
              (v128.xor (local.get $v1) (local.get $high))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v1) (local.get $v1))))
            (local.set $v2 (f32x4.add
              (v128.xor (local.get $v2) (local.get $high))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v2) (local.get $v2))))
            (local.set $v3 (f32x4.add
              (v128.xor (local.get $v3) (local.get $high))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v3) (local.get $v3))))))
        (if (i32.ge_u (local.get $log2b) (i32.const 3))
          (then
            (local.set $t (f32x4.sub (local.get $v0) (local.get $v1)))
            (local.set $v0 (f32x4.add (local.get $v0) (local.get $v1)))
            (local.set $v1 (local.get $t))
            (local.set $t (f32x4.sub (local.get $v2) (local.get $v3)))
            (local.set $v2 (f32x4.add (local.get $v2) (local.get $v3)))
            (local.set $v3 (local.get $t))))
        (if (i32.ge_u (local.get $log2b) (i32.const 4))
          (then
            (local.set $t (f32x4.sub (local.get $v0) (local.get $v2)))
            (local.set $v0 (f32x4.add (local.get $v0) (local.get $v2)))
            (local.set $v2 (local.get $t))
            (local.set $t (f32x4.sub (local.get $v1) (local.get $v3)))
            (local.set $v1 (f32x4.add (local.get $v1) (local.get $v3)))
            (local.set $v3 (local.get $t))))
        (v128.store (local.get $dst) (f32x4.mul (local.get $v0) (local.get $k)))
        (v128.store offset=16 (local.get $dst) (f32x4.mul (local.get $v1) (local.get $k)))
        (v128.store offset=32 (local.get $dst) (f32x4.mul (local.get $v2) (local.get $k)))
        (v128.store offset=48 (local.get $dst) (f32x4.mul (local.get $v3) (local.get $k)))
        (local.set $src (i32.add (local.get $src) (i32.const 64)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br $sixteens)))
  )

  ;; Stages h, 2h and 4h in place on len values at p; hb = h in bytes, at least 16 (one vector).
  (func $pass8 (param $p i32) (param $len i32) (param $hb i32)
    (local $end i32) (local $blockEnd i32) (local $q i32) (local $t v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 2))))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $p) (local.get $hb)))
        (loop $vectors
          (local.set $q (local.get $p))
          (local.set $a0 (v128.load (local.get $q)))
          (local.set $a1 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a2 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a3 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a4 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a5 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a6 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          (local.set $a7 (v128.load (local.tee $q (i32.add (local.get $q) (local.get $hb)))))
          ;; stage h: (0,1) (2,3) (4,5) (6,7)
          (local.set $t (f32x4.sub (local.get $a0) (local.get $a1)))
          (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
          (local.set $a1 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a2) (local.get $a3)))
          (local.set $a2 (f32x4.add (local.get $a2) (local.get $a3)))
          (local.set $a3 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a4) (local.get $a5)))
          (local.set $a4 (f32x4.add (local.get $a4) (local.get $a5)))
          (local.set $a5 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a6) (local.get $a7)))
          (local.set $a6 (f32x4.add (local.get $a6) (local.get $a7)))
          (local.set $a7 (local.get $t))
          ;; stage 2h: (0,2) (1,3) (4,6) (5,7)
          (local.set $t (f32x4.sub (local.get $a0) (local.get $a2)))
          (local.set $a0 (f32x4.add (local.get $a0) (local.get $a2)))
          (local.set $a2 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a1) (local.get $a3)))
          (local.set $a1 (f32x4.add (local.get $a1) (local.get $a3)))
          (local.set $a3 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a4) (local.get $a6)))
          (local.set $a4 (f32x4.add (local.get $a4) (local.get $a6)))
          (local.set $a6 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a5) (local.get $a7)))
          (local.set $a5 (f32x4.add (local.get $a5) (local.get $a7)))
          (local.set $a7 (local.get $t))
          ;; stage 4h: (0,4) (1,5) (2,6) (3,7), stored as they come
          (local.set $q (local.get $p))
          (v128.store (local.get $q) (f32x4.add (local.get $a0) (local.get $a4)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.add (local.get $a1) (local.get $a5)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.add (local.get $a2) (local.get $a6)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.add (local.get $a3) (local.get $a7)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.sub (local.get $a0) (local.get $a4)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.sub (local.get $a1) (local.get $a5)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.sub (local.get $a2) (local.get $a6)))
          (v128.store (local.tee $q (i32.add (local.get $q) (local.get $hb)))
            (f32x4.sub (local.get $a3) (local.get $a7)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.get $p) (local.get $blockEnd))))
        ;; p has crossed the first eighth of the group: skip the other seven.
        (local.set $p (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 7))))
        (br $groups)))
  )


  ;; Stages h and 2h in place; as $pass8.
  (func $pass4 (param $p i32) (param $len i32) (param $hb i32)
    (local $end i32) (local $blockEnd i32) (local $hb2 i32) (local $hb3 i32) (local $t v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 2))))
    (local.set $hb2 (i32.shl (local.get $hb) (i32.const 1)))
    (local.set $hb3 (i32.add (local.get $hb2) (local.get $hb)))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $p) (local.get $hb)))
        (loop $vectors
          (local.set $a0 (v128.load (local.get $p)))
          (local.set $a1 (v128.load (i32.add (local.get $p) (local.get $hb))))
          (local.set $a2 (v128.load (i32.add (local.get $p) (local.get $hb2))))
          (local.set $a3 (v128.load (i32.add (local.get $p) (local.get $hb3))))
          (local.set $t (f32x4.sub (local.get $a0) (local.get $a1)))
          (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
          (local.set $a1 (local.get $t))
          (local.set $t (f32x4.sub (local.get $a2) (local.get $a3)))
          (local.set $a2 (f32x4.add (local.get $a2) (local.get $a3)))
          (local.set $a3 (local.get $t))
          (v128.store (local.get $p) (f32x4.add (local.get $a0) (local.get $a2)))
          (v128.store (i32.add (local.get $p) (local.get $hb)) (f32x4.add (local.get $a1) (local.get $a3)))
          (v128.store (i32.add (local.get $p) (local.get $hb2)) (f32x4.sub (local.get $a0) (local.get $a2)))
          (v128.store (i32.add (local.get $p) (local.get $hb3)) (f32x4.sub (local.get $a1) (local.get $a3)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.get $p) (local.get $blockEnd))))
        (local.set $p (i32.add (local.get $p) (local.get $hb3)))
        (br $groups)))
  )

  ;; Stage h in place; as $pass8.
  (func $pass2 (param $p i32) (param $len i32) (param $hb i32)
    (local $end i32) (local $blockEnd i32) (local $a0 v128) (local $a1 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 2))))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $p) (local.get $hb)))
        (loop $vectors
          (local.set $a0 (v128.load (local.get $p)))
          (local.set $a1 (v128.load (i32.add (local.get $p) (local.get $hb))))
          (v128.store (local.get $p) (f32x4.add (local.get $a0) (local.get $a1)))
          (v128.store (i32.add (local.get $p) (local.get $hb)) (f32x4.sub (local.get $a0) (local.get $a1)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.get $p) (local.get $blockEnd))))
        (local.set $p (i32.add (local.get $p) (local.get $hb)))
        (br $groups)))
  )

  ;; Stages 16 .. b/2 in place on len values at p: radix-8 passes, with radix-4 or radix-2 passes
  ;; where log2(b) - 4 is not a multiple of 3 (4 stages run as 2 + 2, not 3 + 1).
  (func $laterPasses (param $p i32) (param $len i32) (param $log2b i32)
    (local $stages i32) (local $hb i32)
    (local.set $stages (i32.sub (local.get $log2b) (i32.const 4)))
    (local.set $hb (i32.const 64))
    (block $done
      (loop $passes
        (br_if $done (i32.le_s (local.get $stages) (i32.const 0)))
        (if (i32.eq (local.get $stages) (i32.const 1))
          (then
            (call $pass2 (local.get $p) (local.get $len) (local.get $hb))
            (return)))
        (if (i32.or (i32.eq (local.get $stages) (i32.const 2)) (i32.eq (local.get $stages) (i32.const 4)))
          (then
            (call $pass4 (local.get $p) (local.get $len) (local.get $hb))
            (local.set $hb (i32.shl (local.get $hb) (i32.const 2)))
            (local.set $stages (i32.sub (local.get $stages) (i32.const 2))))
          (else
            (call $pass8 (local.get $p) (local.get $len) (local.get $hb))
            (local.set $hb (i32.shl (local.get $hb) (i32.const 3)))
            (local.set $stages (i32.sub (local.get $stages) (i32.const 3)))))
        (br $passes)))
  )

  ;; The SIMD transform of the longest prefix it can handle; returns its length (all of len when
  ;; b >= 16; otherwise a multiple of 16, leaving the rest to the scalar butterfly).
  (func $simdTransform
    (param $src i32) (param $dst i32) (param $len i32) (param $log2b i32) (param $scale f32)
    (result i32)
    (local $total i32) (local $chunk i32) (local $offset i32) (local $chunkLen i32)
    (if (i32.lt_u (local.get $log2b) (i32.const 4))
      (then
        (local.set $len (i32.and (local.get $len) (i32.const -16)))
        (call $firstPass (local.get $src) (local.get $dst) (local.get $len) (local.get $log2b)
          (local.get $scale))
        (return (local.get $len))))
    ;; Chunks of whole blocks, 16 KiB or one block, so that all passes over a chunk hit L1.
    (local.set $total (i32.shl (local.get $len) (i32.const 2)))
    (local.set $chunk (i32.shl (i32.const 4) (local.get $log2b)))
    (if (i32.lt_u (local.get $chunk) (i32.const 16384))
      (then (local.set $chunk (i32.const 16384))))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $offset) (local.get $total)))
        (local.set $chunkLen (i32.sub (local.get $total) (local.get $offset)))
        (if (i32.gt_u (local.get $chunkLen) (local.get $chunk))
          (then (local.set $chunkLen (local.get $chunk))))
        (local.set $chunkLen (i32.shr_u (local.get $chunkLen) (i32.const 2)))
        (call $firstPass (i32.add (local.get $src) (local.get $offset))
          (i32.add (local.get $dst) (local.get $offset)) (local.get $chunkLen) (local.get $log2b)
          (local.get $scale))
        (call $laterPasses (i32.add (local.get $dst) (local.get $offset)) (local.get $chunkLen)
          (local.get $log2b))
        (local.set $offset (i32.add (local.get $offset) (local.get $chunk)))
        (br $chunks)))
    (local.get $len)
  )
  ;; @end

  ;; --------------------------------------------------------------------------------------------
  ;; The transform: dst[0, len) = scale * (I ⊗ S_b) src[0, len), b = 2^log2b dividing len. dst may
  ;; be src.
  (func $transform (export "HadamardTransform")
    (param $src i32) (param $dst i32) (param $len i32) (param $log2b i32) (param $scale f32)
    (local $done i32)
    ;; @if simd
    (local.set $done (call $simdTransform (local.get $src) (local.get $dst) (local.get $len)
      (local.get $log2b) (local.get $scale)))
    ;; @end
    (call $scalarTransform
      (i32.add (local.get $src) (i32.shl (local.get $done) (i32.const 2)))
      (i32.add (local.get $dst) (i32.shl (local.get $done) (i32.const 2)))
      (i32.sub (local.get $len) (local.get $done)) (local.get $log2b) (local.get $scale))
  )

  ;; --------------------------------------------------------------------------------------------
  ;; Element-wise loops of the recurrence over n values: whole vectors first (SIMD builds), then
  ;; single values. i is a byte index shared by every array.

  ;; dst = max(src, floor): a copy at floor -inf (NaN stays NaN), a ReLU at floor 0
  (func $copy (param $src i32) (param $dst i32) (param $n i32) (param $floor f32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ;; @if simd
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (f32x4.max (v128.load (i32.add (local.get $src) (local.get $i)))
            (f32x4.splat (local.get $floor))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; @end
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $dst) (local.get $i))
          (f32.max (f32.load (i32.add (local.get $src) (local.get $i))) (local.get $floor)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $values)))
  )

  ;; dst = 0
  (func $zero (param $dst i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ;; @if simd
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; @end
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $values)))
  )

  ;; dst += a * src (one input's term of the affine map's kernel gradient; at a = 1, which is exact,
  ;; a masked step of the reverse sweep and a row of the bias gradient)
  (func $addScaled (param $dst i32) (param $src i32) (param $a f32) (param $n i32)
    (local $i i32) (local $end i32)
    ;; @if simd
    (local $av v128)
    (local.set $av (f32x4.splat (local.get $a)))
    ;; @end
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ;; @if simd
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $i)))
            (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $src) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; @end
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $dst) (local.get $i))
          (f32.add (f32.load (i32.add (local.get $dst) (local.get $i)))
            (f32.mul (local.get $a) (f32.load (i32.add (local.get $src) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $values)))
  )

  ;; One unmasked step of the reverse sweep, fused into one loop: g += dy; ds += g * work; then
  ;; work = g (work is the step's dz row, which held FWHT(h_{k-1}) / sqrt(b)); g *= s.
  (func $stepAdjoint (param $g i32) (param $dy i32) (param $work i32) (param $s i32) (param $ds i32)
    (param $n i32)
    (local $i i32) (local $end i32) (local $gf f32)
    ;; @if simd
    (local $gv v128)
    ;; @end
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ;; @if simd
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $gv (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i)))
          (v128.load (i32.add (local.get $dy) (local.get $i)))))
        (v128.store (i32.add (local.get $ds) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $ds) (local.get $i)))
            (f32x4.mul (local.get $gv) (v128.load (i32.add (local.get $work) (local.get $i))))))
        (v128.store (i32.add (local.get $work) (local.get $i)) (local.get $gv))
        (v128.store (i32.add (local.get $g) (local.get $i))
          (f32x4.mul (local.get $gv) (v128.load (i32.add (local.get $s) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; @end
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gf (f32.add (f32.load (i32.add (local.get $g) (local.get $i)))
          (f32.load (i32.add (local.get $dy) (local.get $i)))))
        (f32.store (i32.add (local.get $ds) (local.get $i))
          (f32.add (f32.load (i32.add (local.get $ds) (local.get $i)))
            (f32.mul (local.get $gf) (f32.load (i32.add (local.get $work) (local.get $i))))))
        (f32.store (i32.add (local.get $work) (local.get $i)) (local.get $gf))
        (f32.store (i32.add (local.get $g) (local.get $i))
          (f32.mul (local.get $gf) (f32.load (i32.add (local.get $s) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $values)))
  )

  ;; --------------------------------------------------------------------------------------------
  ;; Forward sweep (recurrenceForward): for each batch row r and step k = 0..T-1, with
  ;; t = goBackwards ? T-1-k : k, states[r, k] = s * FWHT(h_{k-1}) * scale + z[r, t], or h_{k-1}
  ;; where mask[r, t] == 0; h_{-1} = h0[r]. scale = 1 / sqrt(b). states rows are consecutive.
  (func $recurrence (export "HadamardRecurrence")
    (param $z i32) (param $s i32) (param $h0 i32) (param $mask i32) (param $states i32)
    (param $batch i32) (param $steps i32) (param $n i32) (param $log2b i32) (param $goBackwards i32)
    (param $scale f32)
    (local $row i32) (local $r i32) (local $k i32) (local $rt i32) (local $prev i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $batch)))
        (local.set $prev (i32.add (local.get $h0) (i32.mul (local.get $r) (local.get $row))))
        (local.set $k (i32.const 0))
        (block $stepsDone
          (loop $steps
            (br_if $stepsDone (i32.ge_u (local.get $k) (local.get $steps)))
            ;; rt = r * T + t indexes mask and the rows of z.
            (local.set $rt (i32.add (i32.mul (local.get $r) (local.get $steps))
              (select (i32.sub (i32.sub (local.get $steps) (i32.const 1)) (local.get $k))
                (local.get $k) (local.get $goBackwards))))
            (if (f32.eq (f32.load (i32.add (local.get $mask) (i32.shl (local.get $rt) (i32.const 2))))
                  (f32.const 0))
              (then (call $copy (local.get $prev) (local.get $states) (local.get $n) (f32.const -inf)))
              (else
                (call $transform (local.get $prev) (local.get $states) (local.get $n)
                  (local.get $log2b) (local.get $scale))
                (call $finishStep (local.get $states) (local.get $s)
                  (i32.add (local.get $z) (i32.mul (local.get $rt) (local.get $row)))
                  (i32.const 0) (i32.const 0) (i32.const 0) (local.get $n) (local.get $states)
                  (f32.const -inf))))
            (local.set $prev (local.get $states))
            (local.set $states (i32.add (local.get $states) (local.get $row)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $steps)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; Reverse sweep (recurrenceBackward), needing no scratch memory: the gradient g flowing into
  ;; h_k lives in dh0[r] (where it ends), and FWHT(h_{k-1}) in the dz row it is about to fill.
  ;; Per step k = T-1..0: g += dy[r, k]; where mask[r, t] == 0, dz[r, t] = 0; otherwise
  ;; dz[r, t] = g, ds += g * FWHT(h_{k-1}) * scale, g = FWHT(s * g) * scale.
  (func $recurrenceGrad (export "HadamardRecurrenceGrad")
    (param $dy i32) (param $states i32) (param $s i32) (param $h0 i32) (param $mask i32)
    (param $dz i32) (param $ds i32) (param $dh0 i32)
    (param $batch i32) (param $steps i32) (param $n i32) (param $log2b i32) (param $goBackwards i32)
    (param $scale f32)
    (local $row i32) (local $r i32) (local $k i32) (local $rt i32) (local $rk i32) (local $g i32)
    (local $dzRow i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (call $zero (local.get $ds) (local.get $n))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $batch)))
        (local.set $g (i32.add (local.get $dh0) (i32.mul (local.get $r) (local.get $row))))
        (call $zero (local.get $g) (local.get $n))
        (local.set $k (local.get $steps))
        (block $stepsDone
          (loop $steps
            (br_if $stepsDone (i32.eqz (local.get $k)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            ;; rk = r * T + k indexes dy and states (processing order); rt = r * T + t, mask and dz.
            (local.set $rk (i32.add (i32.mul (local.get $r) (local.get $steps)) (local.get $k)))
            (local.set $rt (i32.add (i32.mul (local.get $r) (local.get $steps))
              (select (i32.sub (i32.sub (local.get $steps) (i32.const 1)) (local.get $k))
                (local.get $k) (local.get $goBackwards))))
            (local.set $dzRow (i32.add (local.get $dz) (i32.mul (local.get $rt) (local.get $row))))
            (if (f32.eq (f32.load (i32.add (local.get $mask) (i32.shl (local.get $rt) (i32.const 2))))
                  (f32.const 0))
              (then
                (call $addScaled (local.get $g)
                  (i32.add (local.get $dy) (i32.mul (local.get $rk) (local.get $row))) (f32.const 1)
                  (local.get $n))
                (call $zero (local.get $dzRow) (local.get $n)))
              (else
                ;; h_{k-1}: the previous state, or h0[r] at k = 0.
                (call $transform
                  (select
                    (i32.add (local.get $states)
                      (i32.mul (i32.sub (local.get $rk) (i32.const 1)) (local.get $row)))
                    (i32.add (local.get $h0) (i32.mul (local.get $r) (local.get $row)))
                    (local.get $k))
                  (local.get $dzRow) (local.get $n) (local.get $log2b) (local.get $scale))
                (call $stepAdjoint (local.get $g)
                  (i32.add (local.get $dy) (i32.mul (local.get $rk) (local.get $row)))
                  (local.get $dzRow) (local.get $s) (local.get $ds) (local.get $n))
                (call $transform (local.get $g) (local.get $g) (local.get $n) (local.get $log2b)
                  (local.get $scale))))
            (br $steps)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; The end of an unmasked step, in one pass over the n values of the state h, which holds
  ;; FWHT(h_{k-1}) * scale on entry:
  ;;   h = s * h + bias + x[0, inDim) . kernel [inDim, n],   out = max(h, floor)
  ;; ($sequence; $recurrence passes its z row as bias, no inputs, and h as out, which stores each
  ;; value twice rather than spend the bytes of a branch: the module must stay under 4 KiB).
  ;; With SIMD, 16 values at a time: four accumulators stay in registers across all the inputs, so
  ;; each input costs one splat and four kernel loads per 16 values, and the step's sums never
  ;; leave registers before their stores. Both loops sum each value in the same order (s * h +
  ;; bias, then the inputs in turn); sequence_impl.ts adds s * FWHT last, so the two differ in the
  ;; last bits.
  (func $finishStep
    (param $h i32) (param $s i32) (param $bias i32) (param $k i32) (param $x i32) (param $inDim i32)
    (param $n i32) (param $out i32) (param $floor f32)
    (local $row i32) (local $i i32) (local $kj i32) (local $xi i32) (local $xEnd i32)
    (local $acc f32)
    ;; @if simd
    (local $hj i32) (local $sj i32) (local $bj i32) (local $oj i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local $floorv v128)
    ;; @end
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $inDim) (i32.const 2))))
    ;; @if simd
    (local.set $floorv (f32x4.splat (local.get $floor)))
    (block $done
      (loop $groups
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 64)) (local.get $row)))
        (local.set $hj (i32.add (local.get $h) (local.get $i)))
        (local.set $sj (i32.add (local.get $s) (local.get $i)))
        (local.set $bj (i32.add (local.get $bias) (local.get $i)))
        (local.set $a0 (f32x4.add (f32x4.mul (v128.load (local.get $sj)) (v128.load (local.get $hj)))
          (v128.load (local.get $bj))))
        (local.set $a1 (f32x4.add (f32x4.mul (v128.load offset=16 (local.get $sj))
          (v128.load offset=16 (local.get $hj)))
          (v128.load offset=16 (local.get $bj))))
        (local.set $a2 (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $sj))
          (v128.load offset=32 (local.get $hj)))
          (v128.load offset=32 (local.get $bj))))
        (local.set $a3 (f32x4.add (f32x4.mul (v128.load offset=48 (local.get $sj))
          (v128.load offset=48 (local.get $hj)))
          (v128.load offset=48 (local.get $bj))))
        (local.set $kj (i32.add (local.get $k) (local.get $i)))
        (local.set $xi (local.get $x))
        (block $inputsDone
          (loop $inputs
            (br_if $inputsDone (i32.ge_u (local.get $xi) (local.get $xEnd)))
            (local.set $xv (v128.load32_splat (local.get $xi)))
            (local.set $a0 (f32x4.add (local.get $a0)
              (f32x4.mul (local.get $xv) (v128.load (local.get $kj)))))
            (local.set $a1 (f32x4.add (local.get $a1)
              (f32x4.mul (local.get $xv) (v128.load offset=16 (local.get $kj)))))
            (local.set $a2 (f32x4.add (local.get $a2)
              (f32x4.mul (local.get $xv) (v128.load offset=32 (local.get $kj)))))
            (local.set $a3 (f32x4.add (local.get $a3)
              (f32x4.mul (local.get $xv) (v128.load offset=48 (local.get $kj)))))
            (local.set $kj (i32.add (local.get $kj) (local.get $row)))
            (local.set $xi (i32.add (local.get $xi) (i32.const 4)))
            (br $inputs)))
        (v128.store (local.get $hj) (local.get $a0))
        (v128.store offset=16 (local.get $hj) (local.get $a1))
        (v128.store offset=32 (local.get $hj) (local.get $a2))
        (v128.store offset=48 (local.get $hj) (local.get $a3))
        (local.set $oj (i32.add (local.get $out) (local.get $i)))
        (v128.store (local.get $oj) (f32x4.max (local.get $a0) (local.get $floorv)))
        (v128.store offset=16 (local.get $oj) (f32x4.max (local.get $a1) (local.get $floorv)))
        (v128.store offset=32 (local.get $oj) (f32x4.max (local.get $a2) (local.get $floorv)))
        (v128.store offset=48 (local.get $oj) (f32x4.max (local.get $a3) (local.get $floorv)))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $groups)))
    ;; @end
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $i) (local.get $row)))
        (local.set $acc (f32.add
          (f32.mul (f32.load (i32.add (local.get $s) (local.get $i)))
            (f32.load (i32.add (local.get $h) (local.get $i))))
          (f32.load (i32.add (local.get $bias) (local.get $i)))))
        (local.set $kj (i32.add (local.get $k) (local.get $i)))
        (local.set $xi (local.get $x))
        (block $inputsDone
          (loop $inputs
            (br_if $inputsDone (i32.ge_u (local.get $xi) (local.get $xEnd)))
            (local.set $acc (f32.add (local.get $acc)
              (f32.mul (f32.load (local.get $xi)) (f32.load (local.get $kj)))))
            (local.set $kj (i32.add (local.get $kj) (local.get $row)))
            (local.set $xi (i32.add (local.get $xi) (i32.const 4)))
            (br $inputs)))
        (f32.store (i32.add (local.get $h) (local.get $i)) (local.get $acc))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.max (local.get $acc) (local.get $floor)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $values)))
  )

  ;; --------------------------------------------------------------------------------------------
  ;; A HadamRNN layer's projection and recurrence in one pass (relu: every-step inference; linear:
  ;; the states, which training differentiates): for each batch row r and step k, with t = goBackwards ? T-1-k : k, where mask[r, t] != 0,
  ;;   h = s * FWHT(h) * scale + bias + x[r, t] . kernel     (h = h0[r] before the first step)
  ;; and out[r, k] = relu ? max(h, 0) : h. x is [batch, T, inDim], kernel [inDim, n] (read from L1
  ;; when inDim * n is small). work holds 2n floats: the state and the next.
  (func $sequence (export "HadamRNNSequence")
    (param $x i32) (param $kernel i32) (param $bias i32) (param $s i32) (param $h0 i32)
    (param $mask i32) (param $out i32) (param $work i32)
    (param $batch i32) (param $steps i32) (param $n i32) (param $log2b i32) (param $goBackwards i32)
    (param $scale f32) (param $inDim i32) (param $relu i32)
    (local $row i32) (local $r i32) (local $k i32) (local $rt i32)
    (local $h i32) (local $next i32) (local $swap i32) (local $floor f32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    ;; The output rows: ReLU(h) as max(h, 0), linear as max(h, -inf).
    (local.set $floor (select (f32.const 0) (f32.const -inf) (local.get $relu)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $batch)))
        (local.set $h (local.get $work))
        (local.set $next (i32.add (local.get $work) (local.get $row)))
        (call $copy (i32.add (local.get $h0) (i32.mul (local.get $r) (local.get $row)))
          (local.get $h) (local.get $n) (f32.const -inf))
        (local.set $k (i32.const 0))
        (block $stepsDone
          (loop $stepsLoop
            (br_if $stepsDone (i32.ge_u (local.get $k) (local.get $steps)))
            (local.set $rt (i32.add (i32.mul (local.get $r) (local.get $steps))
              (select (i32.sub (i32.sub (local.get $steps) (i32.const 1)) (local.get $k))
                (local.get $k) (local.get $goBackwards))))
            (if (f32.ne (f32.load (i32.add (local.get $mask) (i32.shl (local.get $rt) (i32.const 2))))
                  (f32.const 0))
              (then
                (call $transform (local.get $h) (local.get $next) (local.get $n) (local.get $log2b)
                  (local.get $scale))
                (call $finishStep (local.get $next) (local.get $s) (local.get $bias)
                  (local.get $kernel)
                  (i32.add (local.get $x)
                    (i32.shl (i32.mul (local.get $rt) (local.get $inDim)) (i32.const 2)))
                  (local.get $inDim) (local.get $n) (local.get $out) (local.get $floor))
                (local.set $swap (local.get $h))
                (local.set $h (local.get $next))
                (local.set $next (local.get $swap)))
              ;; A masked step keeps h; its output row is computed from it again.
              (else
                (call $copy (local.get $h) (local.get $out) (local.get $n) (local.get $floor))))
            (local.set $out (i32.add (local.get $out) (local.get $row)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $stepsLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
  )

  ;; --------------------------------------------------------------------------------------------
  ;; Weight gradients of the affine map y = x . K + bias (HadamRNN's input projection), in one pass
  ;; over the rows: dk = x^T . dy [inDim, n] and db = the sum of dy's rows [n], for x [rows, inDim]
  ;; and dy [rows, n]. Every row adds x[r, i] * dy[r] to row i of dk, which stays in L1 when
  ;; inDim * n is small (the wasm kernel only calls this then). tfjs-wasm's matMul would instead repack dy,
  ;; new at every step, as its weights.
  (func $affineWeightGrads (export "AffineWeightGrads")
    (param $x i32) (param $dy i32) (param $dk i32) (param $db i32)
    (param $rows i32) (param $inDim i32) (param $n i32)
    (local $row i32) (local $r i32) (local $i i32) (local $dkRow i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (call $zero (local.get $dk) (i32.mul (local.get $inDim) (local.get $n)))
    (call $zero (local.get $db) (local.get $n))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (call $addScaled (local.get $db) (local.get $dy) (f32.const 1) (local.get $n))
        (local.set $dkRow (local.get $dk))
        (local.set $i (i32.const 0))
        (block $inputsDone
          (loop $inputs
            (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $inDim)))
            (call $addScaled (local.get $dkRow) (local.get $dy)
              (f32.load (local.get $x)) (local.get $n))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $dkRow (i32.add (local.get $dkRow) (local.get $row)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $inputs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
  )
)
