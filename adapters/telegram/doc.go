// Package telegram connects newsbot to Telegram through the Bot API
// (github.com/go-telegram/bot).
//
// An Adapter answers questions sent in private chats, and in groups when the
// bot is mentioned, replied to, or asked with /ask. Small talk ("hi",
// "thanks", "help", "bye"; see convo.SmallTalk) gets a chat's reply instead
// of quotes. Answers are rendered in
// Telegram's HTML parse mode: every quote in a blockquote, every citation a
// link, every piece of article and user text escaped, and answers longer
// than a message split on quote boundaries.
//
// The package depends on package bot only: a bot.Asker answers, and the
// Adapter owns everything Telegram-specific (updates, access control, rate
// limits, retries on HTTP 429, conversation follow-ups, shutdown).
package telegram
