// Package follow makes newsbot speak unasked: a chat follows a topic or a
// question, and when a new article answers it the bot pushes the quote,
// verbatim and cited.
//
// # The flow
//
// A chat adapter calls Service.Follow (it implements bot.Follower): the
// text is parsed (Parse: the topic, and an optional digest schedule such
// as "daily 08:00 Europe/London"), checked against the admin's Limits,
// answered once through the normal Ask path (the current best quote, if
// any) and stored in the bot.FollowStore.
//
// Service.Run then runs two loops. The match loop follows the store of
// record's change sequence (a Source) from a cursor kept in the store (a
// Cursor), one replica at a time: the holder of the lease MatchLease.
// Each new or replaced article goes to the Matcher with every follow. The
// Matcher's prefilter, an inverted index from the follows' word stems to
// the follows, keeps only the follows that share rare enough words with
// the article (weighed by the retriever's IDF; a follow that names
// someone or something needs one of its names in the article); each of
// them is answered as ask would answer it, by the same answer model and
// the trained reader when one is configured, but restricted to the new
// article (bot.Question.Articles). A follow whose best sentence reaches
// the follow threshold gets a push recorded with AddPush, due at once.
//
// Every push carries a story key (Story): a hash of the quoted sentence's
// words. The store adds a push only if its follow has none with the same
// key, so the same sentence arriving from a second feed or in an updated
// copy of the article is pushed once, and matching an article again after
// a crash adds nothing.
//
// The deliver loop claims due pushes (ClaimPushes, leased to the replica
// for a while) and sends them through the Pusher of the chat's platform:
// one message per push while the follow's hourly limit (PerHour, counted
// with SentSince over the last hour) allows, the rest deferred to the
// follow's digest (DigestTime: the next full hour, or its daily time in
// its zone), which then goes out as one message. A chat the platform
// says is gone (bot.ErrChatGone) loses its follows.
//
// # The delivery guarantee
//
// Delivery is at least once, with at most one duplicate per crash. A push
// is recorded before it is sent, and marked sent only after the platform
// has accepted it; a replica that dies in between leaves its claim to run
// out, and the next claimant sends the push again. No platform newsbot
// speaks to offers an idempotent send (neither Telegram's sendMessage nor
// Discord's create-message takes a key that would let a retry be
// recognised), so the record of a delivery cannot be made atomic with it:
// marking first would lose the message when the replica dies before
// sending, marking after duplicates it when the replica dies after. A lost
// answer is worse than a repeated one, so the mark comes after. The
// window is one message wide: a send is given half the claim's time, so
// no other replica claims a push while it is being sent, and a failed
// send (other than a gone chat) is retried after the claim runs out, with
// a backoff per chat.
//
// # Measured
//
// `newsbot eval --follows` treats every answerable question of a QA set
// as a follow and feeds the set's articles one by one, in file order;
// BenchmarkMatch10k times one article against 10,000 follows. The figures
// and the commands are in docs/follows.md. DefaultThreshold,
// PreselectThreshold, DefaultGate and DefaultPrefilter were fitted on the
// held-out fold of the project's own training questions, never on an
// evaluation set.
package follow
