"""virtcurso: data -> model -> pages and handout for «Introducción a la virtualización».

A plain Python package: nothing here imports MkDocs. `hooks/course.py` wires it to MkDocs.
"""
