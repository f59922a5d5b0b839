"""The rendered artifacts as parsed types, and their parsers: what renderers and checks both read."""
