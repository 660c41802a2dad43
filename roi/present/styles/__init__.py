"""Matplotlib style sheets shipped with roi, loadable by dotted name:
``plt.style.use("roi.present.styles.report")``."""
