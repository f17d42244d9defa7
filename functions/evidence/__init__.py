"""Photo evidence of daily reports: cleaning an upload down to its pixels (``images``) and keeping the result in a
folder or a private Cloud Storage bucket (``blobs``)."""
