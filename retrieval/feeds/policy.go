package feeds

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// addrPolicy decides which IP addresses the Fetcher may connect to. By
// default only public addresses are allowed: a feed is untrusted input,
// and an item link to an internal address must not turn into an article
// quoted in a chat.
type addrPolicy struct {
	// allowPrivate permits loopback, RFC 1918, unique-local, shared (CGNAT)
	// and unspecified addresses: feeds on a LAN, or tests on 127.0.0.1.
	allowPrivate bool
	// allowLinkLocal permits link-local addresses, where cloud metadata
	// services live (169.254.169.254): never needed for news.
	allowLinkLocal bool
}

var (
	cgnat    = netip.MustParsePrefix("100.64.0.0/10")
	thisNet  = netip.MustParsePrefix("0.0.0.0/8")
	metadata = []netip.Addr{
		netip.MustParseAddr("fd00:ec2::254"),   // AWS IMDS over IPv6
		netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud metadata
	}
)

// check returns an error if ip may not be connected to.
func (p addrPolicy) check(ip netip.Addr) error {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return fmt.Errorf("refused: invalid address")
	case ip.IsMulticast() || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return fmt.Errorf("refused to connect to %s: multicast or broadcast address", ip)
	case ip.IsLinkLocalUnicast() || isMetadata(ip):
		if p.allowLinkLocal {
			return nil
		}
		return fmt.Errorf("refused to connect to %s: link-local or cloud-metadata address (fetch.allow_link_local permits it)", ip)
	case ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || cgnat.Contains(ip) || thisNet.Contains(ip):
		if p.allowPrivate {
			return nil
		}
		return fmt.Errorf("refused to connect to %s: loopback or private address (fetch.allow_private permits it)", ip)
	}
	return nil
}

func isMetadata(ip netip.Addr) bool {
	for _, m := range metadata {
		if ip == m {
			return true
		}
	}
	return false
}

// control is a net.Dialer Control hook: it sees the resolved address just
// before connecting, which is what defeats DNS rebinding.
func (p addrPolicy) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("refused: bad address %q", address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("refused: not an IP address %q", host)
	}
	return p.check(ip)
}
