"""The IIIF Image API 3.0 server (compliance level 2) for the web channel."""
