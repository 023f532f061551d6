// Package discord connects newsbot to Discord through discordgo.
//
// Users ask with the /ask slash command, by mentioning the bot, or in a DM;
// replying to one of the bot's answers asks a follow-up with the earlier
// question as context. /sources lists the full citations of the channel's
// last answer and /help explains usage and what has been ingested. Small
// talk in a mention or DM ("hi", "thanks", "help", "bye"; see
// convo.SmallTalk) gets a chat's reply instead of quotes.
//
// Answers are Discord Markdown: each quote a "> " block quote of the
// article's exact words, escaped so nothing in an article or question can
// format, link or ping, followed by a masked-link citation; long answers are
// split under Discord's 2,000-character limit between quotes. Every message
// is sent with AllowedMentions that let it notify, at most, the user who
// asked.
//
// The package depends only on package bot.
package discord
