# The search service's index documents are registered by each domain app (see DESIGN.md).
