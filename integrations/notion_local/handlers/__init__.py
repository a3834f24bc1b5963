"""Endpoint handlers: functions of (ctx, **path ids) returning a response dict."""
