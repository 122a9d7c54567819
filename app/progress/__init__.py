"""Progress through the programme: DESIGN §5's rules (`rules`) and completion (`completion`)."""
