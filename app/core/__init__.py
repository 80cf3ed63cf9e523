"""What every feature uses: errors, security headers, the Markdown renderer, i18n, pagination."""
