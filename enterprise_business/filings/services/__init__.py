"""Writing filings, one module per filing type, both through the review machinery (`review`)."""
