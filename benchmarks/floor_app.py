"""The floor of a first paint on this machine: a Streamlit app that draws only what the overview's
first screen needs (one metric, one Plotly chart), from constants. ``benchmarks.run`` measures its
first paint the same way as the overview's, so the overview's time can be read against it."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.metric("Прогноз закрытия", "50 681 798 ₽", "110,9 %")
st.plotly_chart(go.Figure(go.Bar(x=["ноя", "дек", "янв", "фев"], y=[50, 42, 38, 45])), width="stretch")
