package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"
)

// conn is a minimal HTTP/1.1 keep-alive client for one connection: it
// writes a prepared POST and reads status, Content-Length and body. It
// exists because net/http's client cost about as much CPU per request as
// the server it was measuring, on a box where both share two cores; like
// wrk, it sends exactly what a browser's fetch would, one request at a time
// per connection.
type conn struct {
	target *target
	c      net.Conn
	r      *bufio.Reader
	req    []byte
}

type target struct {
	addr string
	head []byte // request line and headers up to Content-Length's value
}

func parseTarget(raw string) (*target, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("--url must be an http:// address such as http://127.0.0.1:8090/api/v1/completions, not %q", raw)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":80"
	}
	head := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nUser-Agent: trainlog-load\r\nContent-Length: ", u.RequestURI(), u.Host)
	return &target{addr: host, head: head}, nil
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
}

// post sends body and returns the status and response body. A connection
// the server closed is reopened once.
func (c *conn) post(body []byte) (int, string, error) {
	for attempt := 0; ; attempt++ {
		fresh := false
		if c.c == nil {
			nc, err := net.DialTimeout("tcp", c.target.addr, 5*time.Second)
			if err != nil {
				return 0, "", err
			}
			c.c, c.r, fresh = nc, bufio.NewReaderSize(nc, 4096), true
		}
		c.req = append(c.req[:0], c.target.head...)
		c.req = strconv.AppendInt(c.req, int64(len(body)), 10)
		c.req = append(c.req, "\r\n\r\n"...)
		c.req = append(c.req, body...)
		c.c.SetDeadline(time.Now().Add(30 * time.Second))
		code, msg, keep, err := c.roundTrip()
		if err != nil {
			c.close()
			if !fresh && attempt == 0 {
				continue // the server closed an idle connection: retry on a new one
			}
			return 0, "", err
		}
		if !keep {
			c.close()
		}
		return code, msg, nil
	}
}

func (c *conn) roundTrip() (code int, body string, keep bool, err error) {
	if _, err := c.c.Write(c.req); err != nil {
		return 0, "", false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, "", false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, "", false, fmt.Errorf("unexpected status line %q", line)
	}
	code, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, "", false, fmt.Errorf("unexpected status line %q", line)
	}
	length, keep := -1, true
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, "", false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, _ := bytes.Cut(h, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, _ = strconv.Atoi(string(value))
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return 0, "", false, errors.New("response without Content-Length")
	}
	buf := make([]byte, length)
	if _, err := io.ReadFull(c.r, buf); err != nil {
		return 0, "", false, err
	}
	return code, string(bytes.TrimSpace(buf)), keep, nil
}
