package feeds

// WithPollObserver calls observe after each scheduled poll of a feed by
// Run, with the poll's error (nil on success), e.g. to count feed errors.
// Polls cut short by shutdown are not reported.
func WithPollObserver(observe func(err error)) PollerOption {
	return func(p *Poller) { p.observe = observe }
}
