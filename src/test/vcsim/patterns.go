package main

import (
	"fmt"
	"hash/fnv"
	"math/rand"
	"strconv"
	"strings"
)

// patternFunc fills p with the bytes of a write at position pos within the write (calls come in order).
type patternFunc func(p []byte, pos int64)

// newPattern parses a write pattern: "zero", "byte:<0-255>", "random:<seed>" (a math/rand stream seeded with
// the FNV-1a hash of the seed, from the first byte of the write: incompressible, reproducible) or
// "text:<seed>" (lines "<seed> <line number in hex>\n": compressible, readable).
func newPattern(spec string) (patternFunc, error) {
	kind, arg := spec, ""
	if i := strings.Index(spec, ":"); i >= 0 {
		kind, arg = spec[:i], spec[i+1:]
	}
	switch kind {
	case "zero":
		return func(p []byte, _ int64) { fillByte(p, 0) }, nil
	case "byte":
		b, err := strconv.ParseUint(arg, 10, 8)
		if err != nil {
			return nil, fmt.Errorf("pattern byte:<0-255>, got %q", spec)
		}
		return func(p []byte, _ int64) { fillByte(p, byte(b)) }, nil
	case "random":
		h := fnv.New64a()
		_, _ = h.Write([]byte(arg))
		rng := rand.New(rand.NewSource(int64(h.Sum64())))
		return func(p []byte, _ int64) { _, _ = rng.Read(p) }, nil
	case "text":
		return textPattern(arg), nil
	}
	return nil, fmt.Errorf("unknown pattern %q (zero, byte:N, random:SEED, text:SEED)", spec)
}

func fillByte(p []byte, b byte) {
	for i := range p {
		p[i] = b
	}
}

// textPattern builds each line in place (a Sprintf per line made 1 GiB take half a minute).
func textPattern(seed string) patternFunc {
	const hexDigits = "0123456789abcdef"
	line := []byte(seed + " 0000000000000000\n")
	lineLen := int64(len(line))
	digits := line[len(seed)+1 : len(seed)+17]
	return func(p []byte, pos int64) {
		for i := int64(0); i < int64(len(p)); {
			n := uint64((pos + i) / lineLen)
			for d := range digits {
				digits[d] = hexDigits[(n>>(60-4*uint(d)))&0xf]
			}
			i += int64(copy(p[i:], line[(pos+i)%lineLen:]))
		}
	}
}

// bytesPattern writes given data (the base64 form of a write).
func bytesPattern(data []byte) patternFunc {
	return func(p []byte, pos int64) { copy(p, data[pos:]) }
}
