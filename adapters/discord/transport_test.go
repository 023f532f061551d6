package discord

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestRewriteTransport(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.Host+" "+r.URL.RequestURI())
	}))
	defer srv.Close()
	rt, err := newRewriteTransport(nil, srv.URL+"/proxy/api/")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: rt}
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, u := range []string{
		discordgo.EndpointGateway,
		discordgo.EndpointWebhookMessage("1", "tok", "@original"),
		discordgo.EndpointChannelMessages("42") + "?limit=5",
		srv.URL + "/other", // not Discord: untouched
	} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	want := []string{
		"GET " + host + " /proxy/api/v" + discordgo.APIVersion + "/gateway",
		"GET " + host + " /proxy/api/v" + discordgo.APIVersion + "/webhooks/1/tok/messages/@original",
		"GET " + host + " /proxy/api/v" + discordgo.APIVersion + "/channels/42/messages?limit=5",
		"GET " + host + " /other",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if discordgo.EndpointAPI != "https://discord.com/api/v"+discordgo.APIVersion+"/" {
		t.Errorf("discordgo's global endpoints were modified: %s", discordgo.EndpointAPI)
	}
}

func TestScrub(t *testing.T) {
	sc := scrubber{token: "MTIz.abc.DEF"}
	in := `Post "https://discord.com/api/v9/webhooks/2000/aW50ZXJhY3Rpb246MTIzNDU2Nzg5/messages/@original": EOF; ` +
		`POST /interactions/123/aW50ZXJhY3Rpb246OTg3NjU0MzIx/callback; Authorization: Bot MTIz.abc.DEF`
	out := sc.scrub(in)
	for _, secret := range []string{"MTIz.abc.DEF", "aW50ZXJhY3Rpb246MTIzNDU2Nzg5", "aW50ZXJhY3Rpb246OTg3NjU0MzIx"} {
		if strings.Contains(out, secret) {
			t.Errorf("scrub left %q in %q", secret, out)
		}
	}
	if !strings.Contains(out, "webhooks/2000/[REDACTED]/messages") {
		t.Errorf("scrub = %q", out)
	}
	err := sc.wrap(errors.New(in))
	if strings.Contains(err.Error(), "MTIz.abc.DEF") || errors.Unwrap(err) == nil {
		t.Errorf("wrap = %v", err)
	}
}

// TestTokenNeverInErrorsOrLogs makes the REST side echo the Authorization
// header in an error body, as a misbehaving proxy might, and checks the
// token reaches neither Run's error nor the log.
func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	f.gatewayErr = "upstream failed for"
	logs := newLogBuffer()
	a, err := New(Config{Token: f.token, APIURL: f.apiURL()}, newFakeAsker(),
		WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background())
	if err == nil {
		t.Fatal("Run succeeded against a failing gateway endpoint")
	}
	reqs := f.requests("GET", `^/gateway`)
	if len(reqs) == 0 || reqs[0].Auth != "Bot "+f.token {
		t.Fatalf("the fake did not see the token (test is vacuous): %+v", reqs)
	}
	if strings.Contains(err.Error(), f.token) || strings.Contains(logs.String(), f.token) {
		t.Errorf("token leaked:\nerr: %v\nlog: %s", err, logs.String())
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("error = %v; want the echoed token redacted", err)
	}
}
