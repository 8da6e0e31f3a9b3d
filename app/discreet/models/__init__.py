"""Model registry, installation from bundled packages, and the two runtimes."""
