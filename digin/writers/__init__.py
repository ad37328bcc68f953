"""Writers turn the HTML of one edition into the bytes of one format."""
