"""Collecting answers away from the residents' own browsers.

- ``xforms``: the XForm of a survey, made by pyxform from the portal's own XLSForm export,
  and the OpenRosa form list and manifest;
- ``instances``: reading a submitted instance into answers, through the web form's checks;
- ``openrosa``: the OpenRosa server ODK Collect talks to (HTTP Basic, per device: the
  devices themselves are in portal.auth.devices, the access rule in portal.auth.scoping);
- ``views``: the coordinators' device page, and the data entry mode for paper questionnaires.
"""
