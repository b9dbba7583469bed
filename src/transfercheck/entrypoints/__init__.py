"""The edges: HTTP API, web pages and CLI. They translate, then call a service."""
