"""Test support shared by tests/ and benchmarks/: a scripted OpenAI-compatible server on
loopback, a scripted extractor and synthetic articles. Not part of the shipped package."""
