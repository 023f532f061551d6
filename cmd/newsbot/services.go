package main

import (
	"fmt"

	"newsbot/adapters/llm"
	"newsbot/bot"
)

// applySecretEnv lets secrets come from the environment instead of the
// file; the environment wins, so a key need never be written to disk.
func applySecretEnv(c *Config, getenv func(string) string) {
	if v := getenv("NEWSBOT_LLM_API_KEY"); v != "" {
		c.LLM.APIKey = v
	}
	if v := getenv("NEWSBOT_TELEGRAM_TOKEN"); v != "" {
		c.Telegram.Token = v
	}
	if v := getenv("NEWSBOT_DISCORD_TOKEN"); v != "" {
		c.Discord.Token = v
	}
	if v := getenv("NEWSBOT_OPS_TOKEN"); v != "" {
		c.Serve.OpsToken = v
	}
}

// validateServices checks the optional sections.
func (c Config) validateServices() error {
	if c.LLM.Enabled() {
		if _, err := llm.New(c.LLM); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	if _, err := c.Fetch.Options(); err != nil {
		return fmt.Errorf("config: [fetch] %w", err)
	}
	if _, err := c.Fetch.Poller(c.Feeds, "feeds.json"); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.Telegram.Token != "" {
		if err := c.Telegram.Validate(); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	if c.Discord.Token != "" {
		if err := c.Discord.Validate(); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	return nil
}

// writer returns the configured LLM writer, or nil when [llm] is off.
func (m *Main) writer() (bot.Writer, error) {
	w, err := llm.New(m.Config.LLM, llm.WithLogger(m.Log))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return w, nil
}
