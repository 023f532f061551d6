package main

import (
	"context"
	"errors"

	"newsbot/bot"
)

func (m *Main) feedService() (*service, error) { return nil, nil }

func (m *Main) runFeeds(ctx context.Context, args []string) error {
	return errors.New("feeds: not yet")
}
func (m *Main) fetchArticles(ctx context.Context, urls []string, feeds bool) ([]bot.Article, int, error) {
	return nil, 0, errors.New("urls: not yet")
}
