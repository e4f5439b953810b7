"""Ingesting inputs: reading files, folders and stdin, extraction workers and the one writer."""
