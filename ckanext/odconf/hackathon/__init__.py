"""The conference's hackathon: teams' projects, their outputs and their judging.

``projects.py`` (the project type, teams, the hackathon organisation),
``access.py`` (who may create, edit and read a project, and when),
``window.py`` (the submission window), ``validators.py`` (the project
schema's validators), ``outputs.py`` (uploaded outputs: size and format),
``licence_check.py`` (licence conflicts between outputs and the data used),
``actions.py`` (API actions), ``views.py`` (pages); judging and results live
beside them.
"""
