package telegram

// WithConnected sets a function Run calls once the Bot API answered getMe
// (the token works and Telegram is reachable), before it starts serving.
// serve uses it to report the platform as up.
func WithConnected(f func()) Option { return func(a *Adapter) { a.connected = f } }
