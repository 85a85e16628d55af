"""Awards, published results and diplomas."""
