;; The IIS byte path's inner loop (see iis-lines.ts, which owns the memory layout below and documents the contract).
;; One call per log line: split it into fields, hash the key fields, find the row by hash and key bytes, count.
;; Written by hand because it is the scan's hot path: bench/RESULTS.md compares it with the same loop in JavaScript.
;; Build: `npm run build:wasm` turns this file into iis-lines-wasm.ts (the module's bytes, base64).
(module
  (memory (export "memory") 160)

  ;; Layout (byte offsets), kept in step with iis-lines.ts
  ;;   0     kinds: per field, 0 plain, 1 key (hashed), 2 long (read to the next space)
  ;;   512   runs: count, then (first, last) field index pairs of adjacent key fields
  ;;   1024  pos: start offset of each field, and pos[n] = line end + 1
  ;;   5120  the last date's 10 bytes (16 reserved)
  ;;   5136  globals, i32 each: day id, n, date field, time field, stem field, status field,
  ;;         entry count, arena top, out hash, out endpoint, out seconds, out line end, out next line,
  ;;         longest line counted, out result of the line a run stopped at, out start of that line
  ;;   5200  endpoint segments: count, then 40-byte records (length, index, lower-case bytes[32])
  ;;   8192  slots: 131072 i32 (entry index + 1, 0 = empty)
  ;;   532480 entries: 65536 records of 48 bytes
  ;;   3678208 input (4 MiB), then the key arena up to the end of memory
  (global $KINDS i32 (i32.const 0))
  (global $RUNS i32 (i32.const 512))
  (global $POS i32 (i32.const 1024))
  (global $LASTDATE i32 (i32.const 5120))
  (global $G_DAY i32 (i32.const 5136))
  (global $G_N i32 (i32.const 5140))
  (global $G_DATE i32 (i32.const 5144))
  (global $G_TIME i32 (i32.const 5148))
  (global $G_STEM i32 (i32.const 5152))
  (global $G_STATUS i32 (i32.const 5156))
  (global $G_COUNT i32 (i32.const 5160))
  (global $G_ARENA i32 (i32.const 5164))
  (global $O_HASH i32 (i32.const 5168))
  (global $O_EP i32 (i32.const 5172))
  (global $O_SEC i32 (i32.const 5176))
  (global $O_END i32 (i32.const 5180))
  (global $O_NEXT i32 (i32.const 5184))
  (global $G_MAXLINE i32 (i32.const 5188))
  (global $O_RESULT i32 (i32.const 5192))
  (global $O_START i32 (i32.const 5196))
  (global $SEGMENTS i32 (i32.const 5200))
  (global $SLOTS i32 (i32.const 8192))
  (global $SLOT_MASK i32 (i32.const 131071))
  (global $ENTRIES i32 (i32.const 532480))
  (global $MAX_ENTRIES i32 (i32.const 65536))
  (global $ARENA i32 (i32.const 7872512))

  ;; Entry record (48 bytes): 0 hash, 4 day, 8 endpoint, 12 key offset, 16 key length,
  ;; 20 hits, 24 auth failures, 28 errors, 32 first second, 36 last second

  ;; Field starts are read inline as (i32.load (i32.add (global.get $POS) (i32.shl f 2))): the engine in Node 20
  ;; does not inline small functions, and a call per field read measured slower.

  ;; The first byte at or after $i that is <= 32 (space, CR, LF, a control character, the 0 after the input),
  ;; sixteen bytes at a time. Reading past the input is safe: the key arena follows it.
  (func $toControl (param $i i32) (result i32)
    (local $m i32)
    (loop $l
      (local.set $m (i8x16.bitmask (i8x16.le_u (v128.load (local.get $i)) (i8x16.splat (i32.const 32)))))
      (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l))
    (unreachable))

  ;; The first space at or after $i; when there is none before the line end, the LF or 0 after it, or a NUL in the
  ;; field (the line then goes to the text path). The caller clamps to the line end.
  (func $toSpace (param $i i32) (result i32)
    (local $m i32) (local $v v128)
    (loop $l
      (local.set $v (v128.load (local.get $i)))
      (local.set $m (i8x16.bitmask (v128.or
        (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 32))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
        (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0))))))
      (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l))
    (unreachable))

  ;; Split buf[start, end) into exactly n fields; returns the key hash, or -1 when the line is not plain.
  (func $split (param $start i32) (param $end i32) (result i32)
    (local $n i32) (local $i i32) (local $f i32) (local $h i32) (local $k i32) (local $from i32)
    (local.set $n (i32.load (global.get $G_N)))
    (local.set $i (local.get $start))
    (local.set $h (i32.const 0x811c9dc5))
    (i32.store (global.get $POS) (local.get $start))
    (block $done
      (loop $field
        (local.set $k (i32.load8_u (i32.add (global.get $KINDS) (local.get $f))))
        (if (i32.eq (local.get $k) (i32.const 1))
          (then
            ;; a key field: find its end, then hash its bytes, four at a time
            (local.set $from (local.get $i))
            (local.set $i (call $toControl (local.get $i)))
            (block $b1 (loop $l1
              (br_if $b1 (i32.gt_u (i32.add (local.get $from) (i32.const 4)) (local.get $i)))
              (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load (local.get $from))) (i32.const 0x01000193)))
              (local.set $from (i32.add (local.get $from) (i32.const 4)))
              (br $l1)))
            (block $b4 (loop $l4
              (br_if $b4 (i32.ge_u (local.get $from) (local.get $i)))
              (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $from))) (i32.const 0x01000193)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (br $l4)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.const 32)) (i32.const 0x01000193))))
          (else
            (if (i32.eq (local.get $k) (i32.const 2))
              (then
                ;; a long field: up to the next space, at most the line end
                (local.set $i (call $toSpace (local.get $i)))
                (if (i32.gt_u (local.get $i) (local.get $end)) (then (local.set $i (local.get $end)))))
              (else
                (local.set $i (call $toControl (local.get $i)))))))
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.ne (i32.load8_u (local.get $i)) (i32.const 32)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (if (i32.ge_u (local.get $f) (local.get $n)) (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store (i32.add (global.get $POS) (i32.shl (local.get $f) (i32.const 2))) (local.get $i))
        (br $field)))
    (if (i32.ne (local.get $i) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (local.get $f) (i32.sub (local.get $n) (i32.const 1))) (then (return (i32.const -1))))
    (i32.store (i32.add (global.get $POS) (i32.shl (local.get $n) (i32.const 2))) (i32.add (local.get $end) (i32.const 1)))
    (i32.and (local.get $h) (i32.const 0x3fffffff)))

  ;; Index of the endpoint of the stem field, 0 for "other": endpointOf (iis-endpoint.ts) over the bytes. The known
  ;; segments are letters and "-", so OR-ing 0x20 lowers exactly the bytes that can match.
  (func $endpoint (result i32)
    (local $f i32) (local $s i32) (local $e i32) (local $j i32) (local $len i32) (local $r i32) (local $rec i32) (local $k i32)
    (local.set $f (i32.load (global.get $G_STEM)))
    (if (i32.lt_s (local.get $f) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $s (i32.load (i32.add (global.get $POS) (i32.shl (local.get $f) (i32.const 2)))))
    (local.set $e (i32.sub (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (local.get $f) (i32.const 1)) (i32.const 2)))) (i32.const 1)))
    (if (i32.ge_u (local.get $s) (local.get $e)) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u (local.get $s)) (i32.const 47)) (then (return (i32.const 0))))
    (local.set $j (i32.add (local.get $s) (i32.const 1)))
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $j) (local.get $e)))
      (br_if $b (i32.eq (i32.load8_u (local.get $j)) (i32.const 47)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l)))
    (local.set $len (i32.sub (i32.sub (local.get $j) (local.get $s)) (i32.const 1)))
    (local.set $r (i32.const 0))
    (block $none (loop $records
      (br_if $none (i32.ge_u (local.get $r) (i32.load (global.get $SEGMENTS))))
      (local.set $rec (i32.add (i32.add (global.get $SEGMENTS) (i32.const 4)) (i32.mul (local.get $r) (i32.const 40))))
      (if (i32.eq (i32.load (local.get $rec)) (local.get $len))
        (then
          (local.set $k (i32.const 0))
          (block $differs (loop $bytes
            (if (i32.ge_u (local.get $k) (local.get $len)) (then (return (i32.load offset=4 (local.get $rec)))))
            (br_if $differs (i32.ne
              (i32.or (i32.load8_u (i32.add (i32.add (local.get $s) (i32.const 1)) (local.get $k))) (i32.const 32))
              (i32.load8_u offset=8 (i32.add (local.get $rec) (local.get $k)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $bytes)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $records)))
    (i32.const 0))

  ;; Whether the line's key runs are the key bytes of entry record $rec.
  (func $sameKey (param $rec i32) (result i32)
    (local $r i32) (local $runs i32) (local $from i32) (local $to i32) (local $at i32) (local $end i32)
    (local.set $at (i32.load offset=12 (local.get $rec)))
    (local.set $end (i32.add (local.get $at) (i32.load offset=16 (local.get $rec))))
    (local.set $runs (i32.load (global.get $RUNS)))
    (block $no
      (loop $run
        (if (i32.ge_u (local.get $r) (local.get $runs))
          (then (return (i32.eq (local.get $at) (local.get $end)))))
        (local.set $from (i32.load (i32.add (global.get $POS) (i32.shl (i32.load offset=4 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 2)))))
        (local.set $to (i32.sub
          (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (i32.load offset=8 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 1)) (i32.const 2))))
          (i32.const 1)))
        (br_if $no (i32.gt_u (i32.add (local.get $at) (i32.sub (local.get $to) (local.get $from))) (local.get $end)))
        (block $b8 (loop $l8
          (br_if $b8 (i32.gt_u (i32.add (local.get $from) (i32.const 8)) (local.get $to)))
          (br_if $no (i64.ne (i64.load (local.get $from)) (i64.load (local.get $at))))
          (local.set $from (i32.add (local.get $from) (i32.const 8)))
          (local.set $at (i32.add (local.get $at) (i32.const 8)))
          (br $l8)))
        (block $b1 (loop $l1
          (br_if $b1 (i32.ge_u (local.get $from) (local.get $to)))
          (br_if $no (i32.ne (i32.load8_u (local.get $from)) (i32.load8_u (local.get $at))))
          (local.set $from (i32.add (local.get $from) (i32.const 1)))
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (br $l1)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $run)))
    (i32.const 0))

  ;; The status and time of the line into entry record $rec.
  (func $count (param $rec i32)
    (local $s i32) (local $f i32) (local $sec i32)
    (i32.store offset=20 (local.get $rec) (i32.add (i32.load offset=20 (local.get $rec)) (i32.const 1)))
    (local.set $f (i32.load (global.get $G_STATUS)))
    (if (i32.ge_s (local.get $f) (i32.const 0))
      (then
        (local.set $s (i32.load (i32.add (global.get $POS) (i32.shl (local.get $f) (i32.const 2)))))
        (if (i32.eq (i32.sub (i32.sub (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (local.get $f) (i32.const 1)) (i32.const 2)))) (i32.const 1)) (local.get $s)) (i32.const 3))
          (then
            (if (i32.and (i32.eq (i32.load8_u (local.get $s)) (i32.const 52))
                  (i32.and (i32.eq (i32.load8_u offset=1 (local.get $s)) (i32.const 48))
                           (i32.eq (i32.load8_u offset=2 (local.get $s)) (i32.const 49))))
              (then (i32.store offset=24 (local.get $rec) (i32.add (i32.load offset=24 (local.get $rec)) (i32.const 1))))
              (else
                (if (i32.or (i32.eq (i32.load8_u (local.get $s)) (i32.const 52)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 53)))
                  (then (i32.store offset=28 (local.get $rec) (i32.add (i32.load offset=28 (local.get $rec)) (i32.const 1)))))))))))
    (local.set $sec (i32.load (global.get $O_SEC)))
    (if (i32.lt_s (local.get $sec) (i32.load offset=32 (local.get $rec))) (then (i32.store offset=32 (local.get $rec) (local.get $sec))))
    (if (i32.gt_s (local.get $sec) (i32.load offset=36 (local.get $rec))) (then (i32.store offset=36 (local.get $rec) (local.get $sec)))))

  ;; One line, buf[start, end) in memory. Returns the entry index it was counted on (>= 0), or
  ;; -1 not a plain line (nothing changed), -2 a date other than the last one (set it and call again),
  ;; -3 a key without an entry (call insert to add it and count the line).
  (func (export "line") (param $start i32) (param $end i32) (result i32)
    (call $line (local.get $start) (local.get $end)))

  (func $line (param $start i32) (param $end i32) (result i32)
    (local $h i32) (local $ds i32) (local $ts i32) (local $f i32) (local $ep i32) (local $slot i32) (local $idx i32) (local $rec i32)
    (local $day i32)
    (local.set $h (call $split (local.get $start) (local.get $end)))
    (if (i32.lt_s (local.get $h) (i32.const 0)) (then (return (i32.const -1))))
    ;; date: 10 bytes, the same as the last line's
    (local.set $f (i32.load (global.get $G_DATE)))
    (local.set $ds (i32.load (i32.add (global.get $POS) (i32.shl (local.get $f) (i32.const 2)))))
    (if (i32.ne (i32.sub (i32.sub (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (local.get $f) (i32.const 1)) (i32.const 2)))) (i32.const 1)) (local.get $ds)) (i32.const 10))
      (then (return (i32.const -1))))
    (local.set $day (i32.load (global.get $G_DAY)))
    (if (i32.or (i32.lt_s (local.get $day) (i32.const 0))
          (i32.or (i64.ne (i64.load (local.get $ds)) (i64.load (global.get $LASTDATE)))
                  (i32.ne (i32.load16_u offset=8 (local.get $ds)) (i32.load16_u offset=8 (global.get $LASTDATE)))))
      (then (return (i32.const -2))))
    ;; time: HH:MM:SS
    (local.set $f (i32.load (global.get $G_TIME)))
    (local.set $ts (i32.load (i32.add (global.get $POS) (i32.shl (local.get $f) (i32.const 2)))))
    (if (i32.ne (i32.sub (i32.sub (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (local.get $f) (i32.const 1)) (i32.const 2)))) (i32.const 1)) (local.get $ts)) (i32.const 8))
      (then (return (i32.const -1))))
    (if (i32.or (i32.ne (i32.load8_u offset=2 (local.get $ts)) (i32.const 58)) (i32.ne (i32.load8_u offset=5 (local.get $ts)) (i32.const 58)))
      (then (return (i32.const -1))))
    (if (i32.or
          (i32.or (i32.or (i32.gt_u (i32.sub (i32.load8_u (local.get $ts)) (i32.const 48)) (i32.const 9)) (i32.gt_u (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 1))) (i32.const 48)) (i32.const 9)))
                  (i32.or (i32.gt_u (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 3))) (i32.const 48)) (i32.const 9)) (i32.gt_u (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 4))) (i32.const 48)) (i32.const 9))))
          (i32.or (i32.gt_u (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 6))) (i32.const 48)) (i32.const 9)) (i32.gt_u (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 7))) (i32.const 48)) (i32.const 9))))
      (then (return (i32.const -1))))
    (i32.store (global.get $O_SEC)
      (i32.add
        (i32.add
          (i32.mul (i32.add (i32.mul (i32.sub (i32.load8_u (local.get $ts)) (i32.const 48)) (i32.const 10)) (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 1))) (i32.const 48))) (i32.const 3600))
          (i32.mul (i32.add (i32.mul (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 3))) (i32.const 48)) (i32.const 10)) (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 4))) (i32.const 48))) (i32.const 60)))
        (i32.add (i32.mul (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 6))) (i32.const 48)) (i32.const 10)) (i32.sub (i32.load8_u (i32.add (local.get $ts) (i32.const 7))) (i32.const 48)))))
    (local.set $ep (call $endpoint))
    ;; day and endpoint into the hash, then murmur3's finalizer, so that every key byte reaches the slot bits
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.add (i32.mul (local.get $day) (i32.const 64)) (local.get $ep))) (i32.const 0x01000193)))
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
    (local.set $h (i32.and (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))) (i32.const 0x3fffffff)))
    (i32.store (global.get $O_HASH) (local.get $h))
    (i32.store (global.get $O_EP) (local.get $ep))
    ;; find the entry: linear probing from the hash's slot
    (local.set $slot (i32.and (local.get $h) (global.get $SLOT_MASK)))
    (loop $probe
      (local.set $idx (i32.load (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2)))))
      (if (i32.eqz (local.get $idx)) (then (return (i32.const -3))))
      (local.set $rec (i32.add (global.get $ENTRIES) (i32.mul (i32.sub (local.get $idx) (i32.const 1)) (i32.const 48))))
      (if (i32.and (i32.and (i32.eq (i32.load (local.get $rec)) (local.get $h)) (i32.eq (i32.load offset=4 (local.get $rec)) (local.get $day)))
                   (i32.eq (i32.load offset=8 (local.get $rec)) (local.get $ep)))
        (then
          (if (call $sameKey (local.get $rec))
            (then
              (call $count (local.get $rec))
              (return (i32.sub (local.get $idx) (i32.const 1)))))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $SLOT_MASK)))
      (br $probe))
    (i32.const -1))

  ;; The first LF at or after $i (there is one: a run's region ends with LF).
  (func $toLf (param $i i32) (result i32)
    (local $m i32)
    (loop $l
      (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (i8x16.splat (i32.const 10)))))
      (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l))
    (unreachable))

  ;; Counts lines from $start (each ending with LF) up to $limit, at most $max of them, and returns how many. It
  ;; stops at the first line it does not count (a directive, a line over G_MAXLINE bytes, or one line() does not
  ;; count): O_START is where it stopped, O_RESULT the result of line() there (0 when it ran out of lines or $max),
  ;; O_END and O_NEXT that line's end (before CR LF) and the start of the line after it.
  (func (export "run") (param $start i32) (param $limit i32) (param $max i32) (result i32)
    (local $lines i32) (local $nl i32) (local $end i32) (local $r i32)
    (block $stop
      (loop $each
        (br_if $stop (i32.ge_u (local.get $lines) (local.get $max)))
        (br_if $stop (i32.ge_u (local.get $start) (local.get $limit)))
        (local.set $nl (call $toLf (local.get $start)))
        (local.set $end (local.get $nl))
        (if (i32.gt_u (local.get $nl) (local.get $start))
          (then (if (i32.eq (i32.load8_u (i32.sub (local.get $nl) (i32.const 1))) (i32.const 13))
            (then (local.set $end (i32.sub (local.get $nl) (i32.const 1)))))))
        (i32.store (global.get $O_END) (local.get $end))
        (i32.store (global.get $O_NEXT) (i32.add (local.get $nl) (i32.const 1)))
        (local.set $r (i32.const -1))
        (if (i32.and
              (i32.le_u (i32.sub (i32.add (local.get $nl) (i32.const 1)) (local.get $start)) (i32.load (global.get $G_MAXLINE)))
              (i32.ne (i32.load8_u (local.get $start)) (i32.const 35)))
          (then (local.set $r (call $line (local.get $start) (local.get $end)))))
        (if (i32.lt_s (local.get $r) (i32.const 0))
          (then
            (i32.store (global.get $O_RESULT) (local.get $r))
            (i32.store (global.get $O_START) (local.get $start))
            (return (local.get $lines))))
        (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
        (local.set $start (i32.add (local.get $nl) (i32.const 1)))
        (br $each)))
    (i32.store (global.get $O_RESULT) (i32.const 0))
    (i32.store (global.get $O_START) (local.get $start))
    (local.get $lines))

  ;; After line() returned -3: adds the line's key as a new entry and counts the line on it. Returns the entry
  ;; index, or -1 when the entries are full or the arena has no room for the key (nothing changed).
  (func (export "insert") (result i32)
    (local $count i32) (local $rec i32) (local $r i32) (local $from i32) (local $to i32) (local $at i32) (local $len i32)
    (local $slot i32) (local $h i32)
    (local.set $count (i32.load (global.get $G_COUNT)))
    (if (i32.ge_u (local.get $count) (global.get $MAX_ENTRIES)) (then (return (i32.const -1))))
    ;; room for the key in the arena
    (local.set $len (i32.const 0))
    (local.set $r (i32.const 0))
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $r) (i32.load (global.get $RUNS))))
      (local.set $len (i32.add (local.get $len)
        (i32.sub
          (i32.sub (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (i32.load offset=8 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 1)) (i32.const 2)))) (i32.const 1))
          (i32.load (i32.add (global.get $POS) (i32.shl (i32.load offset=4 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 2)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l)))
    (local.set $at (i32.load (global.get $G_ARENA)))
    (if (i32.gt_u (i32.add (local.get $at) (local.get $len)) (i32.mul (memory.size) (i32.const 65536)))
      (then (return (i32.const -1))))
    (local.set $h (i32.load (global.get $O_HASH)))
    (local.set $rec (i32.add (global.get $ENTRIES) (i32.mul (local.get $count) (i32.const 48))))
    (i32.store (local.get $rec) (local.get $h))
    (i32.store offset=4 (local.get $rec) (i32.load (global.get $G_DAY)))
    (i32.store offset=8 (local.get $rec) (i32.load (global.get $O_EP)))
    (i32.store offset=12 (local.get $rec) (local.get $at))
    (i32.store offset=16 (local.get $rec) (local.get $len))
    (i32.store offset=20 (local.get $rec) (i32.const 0))
    (i32.store offset=24 (local.get $rec) (i32.const 0))
    (i32.store offset=28 (local.get $rec) (i32.const 0))
    (i32.store offset=32 (local.get $rec) (i32.const 86400))
    (i32.store offset=36 (local.get $rec) (i32.const -1))
    (local.set $r (i32.const 0))
    (block $b2 (loop $l2
      (br_if $b2 (i32.ge_u (local.get $r) (i32.load (global.get $RUNS))))
      (local.set $from (i32.load (i32.add (global.get $POS) (i32.shl (i32.load offset=4 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 2)))))
      (local.set $to (i32.sub
        (i32.load (i32.add (global.get $POS) (i32.shl (i32.add (i32.load offset=8 (i32.add (global.get $RUNS) (i32.shl (local.get $r) (i32.const 3)))) (i32.const 1)) (i32.const 2))))
        (i32.const 1)))
      (memory.copy (local.get $at) (local.get $from) (i32.sub (local.get $to) (local.get $from)))
      (local.set $at (i32.add (local.get $at) (i32.sub (local.get $to) (local.get $from))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l2)))
    (i32.store (global.get $G_ARENA) (local.get $at))
    (i32.store (global.get $G_COUNT) (i32.add (local.get $count) (i32.const 1)))
    (local.set $slot (i32.and (local.get $h) (global.get $SLOT_MASK)))
    (block $free (loop $probe
      (br_if $free (i32.eqz (i32.load (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2))))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $SLOT_MASK)))
      (br $probe)))
    (i32.store (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2))) (i32.add (local.get $count) (i32.const 1)))
    (call $count (local.get $rec))
    (local.get $count))

  ;; Forgets every entry (their rows were handed on).
  (func (export "reset")
    (memory.fill (global.get $SLOTS) (i32.const 0) (i32.shl (i32.add (global.get $SLOT_MASK) (i32.const 1)) (i32.const 2)))
    (i32.store (global.get $G_COUNT) (i32.const 0))
    (i32.store (global.get $G_ARENA) (global.get $ARENA)))
)
