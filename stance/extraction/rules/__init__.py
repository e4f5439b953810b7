"""The offline rules extractor (`pipeline.RulesExtractor`): English news, no model, no download."""
