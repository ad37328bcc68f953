"""DiGiN toolkit publishing pipeline: YAML content -> localized model -> HTML -> PDF."""
