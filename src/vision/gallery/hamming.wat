;; The gallery's WebAssembly SIMD kernels: SimHash coding of 512-d embeddings and the Hamming scan over
;; 512-bit codes (64 bytes each). Compiled to hamming.wasm by scripts/build-wasm.mjs. The callers
;; (simhash.ts, hamming.ts) own the memory layout and pass byte offsets, all 16-byte aligned.
(module
  (memory (export "memory") 1)

;; One round of the random rotation on the 512 f32 at $v: flip signs by the 512 f32 (+1/-1) at $s,
  ;; then an unnormalised fast Walsh-Hadamard transform (the first two levels inside each vector).
  (func $round (param $v i32) (param $s i32)
    (local $p i32) (local $end i32) (local $x v128) (local $a v128) (local $b v128)
    (local $h i32) (local $i i32) (local $j i32) (local $q i32)
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.const 2048)))
    (loop $four
      (local.set $x (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $s))))
      ;; [x0+x1, x0-x1, x2+x3, x2-x3]
      (local.set $x (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 1 -1 1 -1))
        (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $x) (local.get $x))))
      ;; [y0+y2, y1+y3, y0-y2, y1-y3]
      (local.set $x (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 1 1 -1 -1))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
      (v128.store (local.get $p) (local.get $x))
      (local.set $s (i32.add (local.get $s) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $four (i32.lt_u (local.get $p) (local.get $end))))
    ;; butterflies between vectors, at strides of 4 to 256 floats ($h in bytes: 16 to 1024)
    (local.set $h (i32.const 16))
    (loop $level
      (local.set $i (local.get $v))
      (loop $blocks
        (local.set $j (local.get $i))
        (local.set $q (i32.add (local.get $i) (local.get $h)))
        (loop $pairs
          (local.set $a (v128.load (local.get $j)))
          (local.set $b (v128.load (i32.add (local.get $j) (local.get $h))))
          (v128.store (local.get $j) (f32x4.add (local.get $a) (local.get $b)))
          (v128.store (i32.add (local.get $j) (local.get $h)) (f32x4.sub (local.get $a) (local.get $b)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $pairs (i32.lt_u (local.get $j) (local.get $q))))
        (local.set $i (i32.add (local.get $i) (i32.shl (local.get $h) (i32.const 1))))
        (br_if $blocks (i32.lt_u (local.get $i) (local.get $end))))
      (local.set $h (i32.shl (local.get $h) (i32.const 1)))
      (br_if $level (i32.lt_u (local.get $h) (i32.const 2048)))))

  ;; SimHash of the 512 f32 at $v (overwritten): three rounds with the sign vectors at $signs (3 x 512
  ;; f32), then one bit per dimension, set when negative: bit b of byte k is dimension 8k + b.
  (func (export "simhash") (param $v i32) (param $signs i32) (param $out i32)
    (local $k i32) (local $p i32)
    (call $round (local.get $v) (local.get $signs))
    (call $round (local.get $v) (i32.add (local.get $signs) (i32.const 2048)))
    (call $round (local.get $v) (i32.add (local.get $signs) (i32.const 4096)))
    (local.set $p (local.get $v))
    (loop $bytes
      (i32.store8 (i32.add (local.get $out) (local.get $k))
        (i32.or (i32x4.bitmask (v128.load (local.get $p)))
                (i32.shl (i32x4.bitmask (v128.load offset=16 (local.get $p))) (i32.const 4))))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $bytes (i32.lt_u (local.get $k) (i32.const 64)))))

  ;; Distance from the 64-byte query at $query to each of the $n codes at $codes (64 bytes apart):
  ;; writes u16 distances at $dist and counts them into the u32 histogram at $hist (513 bins, zeroed
  ;; by the caller).
  (func (export "scan") (param $codes i32) (param $n i32) (param $query i32) (param $dist i32) (param $hist i32)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local $v v128) (local $p i32) (local $end i32) (local $d i32) (local $h i32)
    (local.set $q0 (v128.load offset=0 (local.get $query)))
    (local.set $q1 (v128.load offset=16 (local.get $query)))
    (local.set $q2 (v128.load offset=32 (local.get $query)))
    (local.set $q3 (v128.load offset=48 (local.get $query)))
    (local.set $p (local.get $codes))
    (local.set $end (i32.add (local.get $codes) (i32.shl (local.get $n) (i32.const 6))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; per-byte popcounts of the four 16-byte blocks; each byte stays <= 32
        (local.set $v
          (i8x16.add
            (i8x16.add
              (i8x16.popcnt (v128.xor (v128.load offset=0 (local.get $p)) (local.get $q0)))
              (i8x16.popcnt (v128.xor (v128.load offset=16 (local.get $p)) (local.get $q1))))
            (i8x16.add
              (i8x16.popcnt (v128.xor (v128.load offset=32 (local.get $p)) (local.get $q2)))
              (i8x16.popcnt (v128.xor (v128.load offset=48 (local.get $p)) (local.get $q3))))))
        ;; horizontal add: 16 x u8 -> 8 x u16 -> 4 x u32, fold the high half onto the low half
        (local.set $v (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $v))))
        (local.set $v (i32x4.add (local.get $v)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $d (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v))))
        (i32.store16 (local.get $dist) (local.get $d))
        (local.set $h (i32.add (local.get $hist) (i32.shl (local.get $d) (i32.const 2))))
        (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
        (local.set $dist (i32.add (local.get $dist) (i32.const 2)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $next))))

  ;; Indices of the distances below $t, then of the first $atT distances equal to $t, written as u32 at
  ;; $out; returns how many. The distance array holds $n entries padded with 0xffff to a multiple of 8.
  (func (export "select") (param $dist i32) (param $n i32) (param $t i32) (param $atT i32) (param $out i32) (result i32)
    (local $limit v128) (local $i i32) (local $j i32) (local $end i32) (local $d i32) (local $count i32)
    (local.set $limit (i16x8.splat (local.get $t)))
    (local.set $end (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; skip eight distances at once when none is <= $t (the common case)
        (if (v128.any_true (i16x8.le_u (v128.load (i32.add (local.get $dist) (i32.shl (local.get $i) (i32.const 1)))) (local.get $limit)))
          (then
            (local.set $j (local.get $i))
            (loop $lane
              (local.set $d (i32.load16_u (i32.add (local.get $dist) (i32.shl (local.get $j) (i32.const 1)))))
              (if (i32.lt_u (local.get $d) (local.get $t))
                (then
                  (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $j))
                  (local.set $count (i32.add (local.get $count) (i32.const 1))))
                (else
                  (if (i32.and (i32.eq (local.get $d) (local.get $t)) (i32.gt_s (local.get $atT) (i32.const 0)))
                    (then
                      (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $j))
                      (local.set $count (i32.add (local.get $count) (i32.const 1)))
                      (local.set $atT (i32.sub (local.get $atT) (i32.const 1)))))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $lane (i32.lt_u (local.get $j) (i32.add (local.get $i) (i32.const 8)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $block)))
    (local.get $count))
)
