package follow

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
)

// Parse reads the text of a /follow command (without the command): a
// topic or question, optionally ending with a digest schedule, "daily
// HH:MM" and an IANA time zone ("daily 08:00 Europe/London"; no zone:
// UTC). It returns the follow with Query, Daily and Zone set. A bad
// schedule or an empty topic is a *bot.Error whose message says how to
// write it.
func Parse(text string) (bot.Follow, error) {
	fields := strings.Fields(text)
	var f bot.Follow
	// The schedule is "daily" followed by something clock-like, one or
	// two fields from the end; a "daily" followed by words ("Daily Mail
	// owner") belongs to the topic.
	for _, n := range []int{3, 2} {
		if len(fields) < n || !strings.EqualFold(fields[len(fields)-n], "daily") || !clockLike(fields[len(fields)-n+1]) {
			continue
		}
		sched := fields[len(fields)-n:]
		hm, err := time.Parse("15:04", sched[1])
		if err != nil {
			return bot.Follow{}, &bot.Error{Message: "That digest time isn't a time of day; write it as HH:MM, for example daily 08:00 Europe/London.", Err: err}
		}
		f.Daily = hm.Format("15:04")
		if n == 3 {
			zone, err := loadZone(sched[2])
			if err != nil {
				return bot.Follow{}, &bot.Error{Message: "I don't know the time zone " + quoteField(sched[2]) + "; use an IANA name such as Europe/London, America/New_York or UTC.", Err: err}
			}
			f.Zone = zone
		}
		fields = fields[:len(fields)-n]
		break
	}
	f.Query = strings.Join(fields, " ")
	switch {
	case f.Query == "" || !strings.ContainsFunc(f.Query, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return bot.Follow{}, &bot.Error{Message: "Say what to follow, for example: /follow Ukraine security guarantees, or /follow when will interest rates change? daily 08:00 Europe/London"}
	case utf8.RuneCountInString(f.Query) >= bot.MaxQuestionBytes:
		return bot.Follow{}, &bot.Error{Message: "That topic is too long; please keep it under 2,000 characters."}
	}
	return f, nil
}

// clockLike reports whether s looks meant as a time of day: digits with a
// colon.
func clockLike(s string) bool {
	return strings.Contains(s, ":") && strings.ContainsFunc(s, unicode.IsDigit)
}

// loadZone loads an IANA zone by name, and returns its canonical
// spelling; "Local", which names the server's zone, not the user's, is
// refused.
func loadZone(name string) (string, error) {
	if strings.EqualFold(name, "utc") {
		return "UTC", nil
	}
	if strings.EqualFold(name, "local") {
		return "", errLocalZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return "", err
	}
	return loc.String(), nil
}

// errLocalZone refuses the zone "Local".
var errLocalZone = errors.New(`"Local" names the server's time zone, not the user's`)

// quoteField returns s for a message, cut to 40 characters.
func quoteField(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return "“" + s + "”"
}

// location returns the follow's time zone (UTC when it has none or it no
// longer loads).
func location(f bot.Follow) *time.Location {
	if f.Zone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(f.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// DigestTime is when the pushes of f held back at now by the hourly limit
// go out: at f's daily time in its zone when it has one (the next such
// time after now, found on the calendar, so a change to or from summer
// time moves it by the clock, not by 24 hours), else at the start of the
// next hour on the follow's clock (the next hour in UTC except in zones
// offset by part of an hour).
func DigestTime(f bot.Follow, now time.Time) time.Time {
	loc := location(f)
	t := now.In(loc)
	if hm, err := time.Parse("15:04", f.Daily); err == nil && f.Daily != "" {
		d := time.Date(t.Year(), t.Month(), t.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
		if !d.After(t) {
			d = time.Date(t.Year(), t.Month(), t.Day()+1, hm.Hour(), hm.Minute(), 0, 0, loc)
		}
		return d
	}
	_, off := t.Zone()
	shift := time.Duration(off) * time.Second
	return now.Add(shift).Truncate(time.Hour).Add(time.Hour).Add(-shift).In(loc)
}
