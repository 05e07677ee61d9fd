"""Everything that imports Qt lives here. The core never imports this package."""
