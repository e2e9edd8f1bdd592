"""What the tests share, outside any test module: helpers to import and fixtures to request.

- ``fixtures``: pytest fixtures, registered for the whole suite by ``pytest_plugins`` in the root
  ``conftest.py`` (request them by name, never import them);
- ``directory``, ``plans``, ``draws``, ``inspections``, ``opendata``, ``browser``: plain helpers and
  constants that build test data or walk a workflow;
- ``engine``: builders for the draw engine's tests, plain Python like the engine itself.

Test modules import from here and never from one another (checked by ``lint-imports``); application
code never imports from here.
"""
