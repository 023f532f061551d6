package store

import (
	"math"
	"testing"
	"time"

	"newsbot/bot"
)

func TestEncodeQuoteRefusesNaN(t *testing.T) {
	for _, c := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := EncodeQuote(bot.Quote{ArticleID: "a", Confidence: c}); err == nil {
			t.Errorf("EncodeQuote with Confidence %v: no error", c)
		}
	}
}

func TestNewPush(t *testing.T) {
	now := Now()
	due := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.FixedZone("", 3600))
	cases := []struct {
		in      bot.Push
		wantDue time.Time
	}{
		{bot.Push{FollowID: 1, Story: "s"}, now},
		{bot.Push{FollowID: 1, Story: "s", Due: due, Sent: due, Created: due}, due.Truncate(time.Microsecond)},
	}
	for i, c := range cases {
		p, quote, err := NewPush(c.in, now)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Created.Equal(now) || !p.Sent.IsZero() || !p.Due.Equal(c.wantDue) || p.Due.Location() != time.UTC {
			t.Errorf("case %d: Created %v, Sent %v, Due %v; want %v, zero, %v in UTC", i, p.Created, p.Sent, p.Due, now, c.wantDue)
		}
		if q, err := DecodeQuote(quote); err != nil || q != c.in.Quote {
			t.Errorf("case %d: quote %s decodes to %+v, %v", i, quote, q, err)
		}
	}
}
