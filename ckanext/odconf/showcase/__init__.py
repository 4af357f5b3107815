"""The conference showcase: the portal (home and edition pages), theme pages and entry pages."""
