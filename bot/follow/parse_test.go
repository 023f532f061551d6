package follow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text               string
		query, daily, zone string
		err                string // a word of the user message; "" for none
	}{
		{text: "Ukraine security guarantees", query: "Ukraine security guarantees"},
		{text: "  when will the interest rate change?  ", query: "when will the interest rate change?"},
		{text: "Ukraine security guarantees daily 08:00 Europe/London", query: "Ukraine security guarantees", daily: "08:00", zone: "Europe/London"},
		{text: "rates DAILY 7:30 America/New_York", query: "rates", daily: "07:30", zone: "America/New_York"},
		{text: "rates daily 18:05", query: "rates", daily: "18:05"},
		{text: "rates daily 18:05 utc", query: "rates", daily: "18:05", zone: "UTC"},
		{text: "Daily Mail owner", query: "Daily Mail owner"},               // "daily" in a topic
		{text: "who owns the Daily Mail", query: "who owns the Daily Mail"}, // at the end too
		{text: "daily news on rates", query: "daily news on rates"},         // a word, not a time
		{text: "rates daily 25:00 Europe/London", err: "HH:MM"},             // no such hour
		{text: "rates daily 08:61", err: "HH:MM"},                           // nor minute
		{text: "rates daily 8:00pm Europe/London", err: "HH:MM"},            // 24-hour clock only
		{text: "rates daily 08:00 Europe/Lundon", err: "time zone"},         // unknown zone
		{text: "rates daily 08:00 Local", err: "time zone"},                 // the server's, not the user's
		{text: "rates daily 08:00 ../../etc/passwd", err: "time zone"},      // not a zone name
		{text: "daily 08:00 Europe/London", err: "Say what to follow"},      // a schedule alone
		{text: "", err: "Say what to follow"},                               // nothing
		{text: "   ", err: "Say what to follow"},                            // spaces
		{text: "?!", err: "Say what to follow"},                             // no word
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			f, err := Parse(tc.text)
			if tc.err != "" {
				var be *bot.Error
				if !errors.As(err, &be) || !strings.Contains(be.Message, tc.err) {
					t.Fatalf("error %v, want a *bot.Error saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Query != tc.query || f.Daily != tc.daily || f.Zone != tc.zone {
				t.Errorf("got %q daily %q zone %q, want %q daily %q zone %q", f.Query, f.Daily, f.Zone, tc.query, tc.daily, tc.zone)
			}
		})
	}
}

func TestDigestTime(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		name   string
		f      bot.Follow
		now    string
		digest string
	}{
		{"next hour", bot.Follow{}, "2025-03-29T09:10:00Z", "2025-03-29T10:00:00Z"},
		{"on the hour: the next one", bot.Follow{}, "2025-03-29T09:00:00Z", "2025-03-29T10:00:00Z"},
		{"next hour in London is the next UTC hour", bot.Follow{Zone: "Europe/London"}, "2025-07-01T09:10:00Z", "2025-07-01T10:00:00Z"},
		{"next hour in a half-hour zone", bot.Follow{Zone: "Asia/Kolkata"}, "2025-07-01T09:10:00Z", "2025-07-01T09:30:00Z"},
		{"daily, later today", bot.Follow{Daily: "08:00", Zone: "Europe/London"}, "2025-01-10T06:00:00Z", "2025-01-10T08:00:00Z"},
		{"daily, tomorrow", bot.Follow{Daily: "08:00", Zone: "Europe/London"}, "2025-01-10T09:00:00Z", "2025-01-11T08:00:00Z"},
		{"daily in summer time", bot.Follow{Daily: "08:00", Zone: "Europe/London"}, "2025-07-01T09:00:00Z", "2025-07-02T07:00:00Z"},
		// London moves to summer time at 01:00 UTC on 30 March 2025: the
		// next 08:00 is 23 hours after Saturday's, not 24.
		{"daily across the spring change", bot.Follow{Daily: "08:00", Zone: "Europe/London"}, "2025-03-29T08:30:00Z", "2025-03-30T07:00:00Z"},
		// And back at 01:00 UTC on 26 October 2025: 25 hours.
		{"daily across the autumn change", bot.Follow{Daily: "08:00", Zone: "Europe/London"}, "2025-10-25T07:30:00Z", "2025-10-26T08:00:00Z"},
		{"daily in UTC", bot.Follow{Daily: "23:30"}, "2025-03-29T23:45:00Z", "2025-03-30T23:30:00Z"},
		{"the hour of the autumn change", bot.Follow{Zone: "Europe/London"}, "2025-10-26T00:30:00Z", "2025-10-26T01:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DigestTime(tc.f, utc(tc.now))
			if want := utc(tc.digest); !got.Equal(want) {
				t.Errorf("digest at %v, want %v", got.UTC(), want)
			}
		})
	}
}
