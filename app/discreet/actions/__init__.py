"""One function per user action, called alike by the CLI and the window.

An action takes what the user asked for, loads what it needs through `Services`, checks
the organisation's policy before any work, reports `Progress` and honours a
`CancelToken`; the front ends only gather input and show the result.
"""
