// Package answer finds the answer to a question in retrieved news: it
// analyses the question (its words, type and focus), computes the features
// of every candidate sentence of the best passages, scores them with the
// calibrated answer model (model/, embedded) and, when one is given, the
// trained reader, and composes 1–3 verbatim quotes or a refusal naming the
// closest articles.
//
// Its Extractor implements bot.Extractor, the extractive step of bot.Ask.
// It lives apart from package bot so that the domain (types, interfaces,
// the Ask service) stays small and imports none of the answer model's
// rules and data; bot/answer imports bot, never the other way round. Eval
// uses Pool and Compose to score many models on one retrieval.
package answer
