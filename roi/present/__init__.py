"""present layer: formatting, words, the HTML kit (``html`` + ``report.css``), report sections
one module each (``sections``), charts, text tables, JSON documents and the explorer. It reads
evaluations (:mod:`roi.present.read`) and writes no files."""
