// The site's script: small on purpose. Pages work without it.
