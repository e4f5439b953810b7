"""Scripts run by the Makefile (`make screenshot`); importable by the tests."""
