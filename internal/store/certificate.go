package store

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// Certificates turns record ids into certificate codes and back.
//
// A code is the record id run through a keyed permutation of 50-bit numbers
// (an 8-round Feistel network whose round function is SHA-256 over a secret
// key), written as 10 Crockford base32 characters. So codes are unique by
// construction, need no index of their own (a random code column indexed for
// lookup halved SQLite's insert rate: every insert dirtied a random page),
// and cannot be guessed or enumerated without the key: a made-up code hits a
// real record with odds of about (records / 2^50).
type Certificates struct {
	key [32]byte
}

const (
	certHalfBits = 25
	certHalfMask = 1<<certHalfBits - 1
	certRounds   = 8
)

// NewCertificates derives the permutation key from secret, which must stay
// the same for the life of the data: codes already printed verify only
// while it does.
func NewCertificates(secret []byte) *Certificates {
	c := &Certificates{}
	c.key = sha256.Sum256(append([]byte("trainlog certificate codes\x00"), secret...))
	return c
}

func (c *Certificates) round(r int, x uint32) uint32 {
	var buf [32 + 1 + 4]byte
	copy(buf[:32], c.key[:])
	buf[32] = byte(r)
	binary.BigEndian.PutUint32(buf[33:], x)
	sum := sha256.Sum256(buf[:])
	return binary.BigEndian.Uint32(sum[:4]) & certHalfMask
}

// Code returns the certificate code of record id (1 ≤ id < 2^50).
func (c *Certificates) Code(id int64) string {
	v := uint64(id) & (1<<(2*certHalfBits) - 1)
	l, r := uint32(v>>certHalfBits), uint32(v&certHalfMask)
	for i := 0; i < certRounds; i++ {
		l, r = r, l^c.round(i, r)
	}
	v = uint64(l)<<certHalfBits | uint64(r)
	var out [CertificateLength]byte
	for i := CertificateLength - 1; i >= 0; i-- {
		out[i] = crockford[v&31]
		v >>= 5
	}
	return string(out[:])
}

// ID returns the record id a normalised code stands for; ok is false when
// the text is not a code at all.
func (c *Certificates) ID(code string) (id int64, ok bool) {
	if len(code) != CertificateLength {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(code); i++ {
		d := strings.IndexByte(crockford, code[i])
		if d < 0 {
			return 0, false
		}
		v = v<<5 | uint64(d)
	}
	l, r := uint32(v>>certHalfBits), uint32(v&certHalfMask)
	for i := certRounds - 1; i >= 0; i-- {
		l, r = r^c.round(i, l), l
	}
	return int64(uint64(l)<<certHalfBits | uint64(r)), true
}
